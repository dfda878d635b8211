import Dora
import Foundation
import Logging
import Neo4jHTTP
import Synchronization
import TwinConfig
import TwinStore

/// Mirrors the store into Neo4j (the graph of `GraphSchema`): incremental from the store's change feed above the
/// repository's projection watermark, batched `UNWIND $rows … MERGE` statements, every value a parameter. Derived
/// facts (deployments, lead times, attributions, incident flags, run chains, branch head) are recomputed by the DORA engine and
/// replaced on every run with changes. The watermark only moves after everything was written, so a Neo4j outage
/// delays the graph and the next run catches up (at-least-once; every statement is idempotent).
public struct GraphProjector: Sendable {
    public typealias TimelineFunction = @Sendable (RepositoryData, DoraDefinitions, Date) throws -> DeploymentTimeline

    private let store: TwinStore
    private let client: Neo4jClient
    private let batchSize: Int
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let timeline: TimelineFunction
    private let migrated = MigrationFlag()

    /// - Parameters:
    ///   - batchSize: rows per statement and per request (default 1000).
    ///   - timeline: the DORA engine's derived facts (injectable for tests).
    public init(
        store: TwinStore, client: Neo4jClient, batchSize: Int = 1000, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        timeline: @escaping TimelineFunction = { data, definitions, asOf in
            try DoraEngine.timeline(for: data, definitions: definitions, asOf: asOf)
        }
    ) {
        self.store = store
        self.client = client
        self.batchSize = max(1, batchSize)
        self.logger = logger
        self.now = now
        self.timeline = timeline
    }

    /// Applies the schema migrations not yet recorded in the graph, in order; returns the names applied.
    @discardableResult
    public func migrateSchema(tally: Neo4jRequestTally? = nil) async throws(Neo4jError) -> [String] {
        let applied = try await client.run(CypherStatement(ProjectionStatements.appliedMigrations), tally: tally)
        let version = try await client.discover(tally: tally).version ?? ""
        let legacy = version.hasPrefix("4.") || version.hasPrefix("3.")
        let names = Set(applied.rows.compactMap { $0.first?.stringValue })
        var newlyApplied: [String] = []
        for migration in GraphSchema.current.migrations where !names.contains(migration.name) {
            // Schema changes cannot share a transaction with writes: one request each.
            let statement = legacy ? (migration.statement4x ?? migration.statement) : migration.statement
            _ = try await client.run(CypherStatement(statement), tally: tally)
            newlyApplied.append(migration.name)
        }
        if !newlyApplied.isEmpty {
            // Recorded together once applied (each is IF NOT EXISTS, so one applied but unrecorded runs again harmlessly).
            let rows: [CypherValue] = newlyApplied.map { .map(["name": .string($0), "appliedAt": .datetime(now())]) }
            var start = 0
            while start < rows.count {
                let end = min(start + batchSize, rows.count)
                _ = try await client.run(
                    CypherStatement(ProjectionStatements.mergeNode("SchemaMigration"), parameters: ["rows": .list(Array(rows[start..<end]))]),
                    tally: tally)
                start = end
            }
        }
        migrated.set()
        if !newlyApplied.isEmpty { logger.debug("neo4j schema migrated", metadata: ["neo4j.migrations": "\(newlyApplied.count)"]) }
        return newlyApplied
    }

    /// Projects what changed in the store since the watermark. Never throws: failures are in the result (and in
    /// the store's projection history), and leave the watermark where it was.
    public func project(repository: RepositorySettings, asOf: Date) async -> ProjectionResult {
        await project(repositories: [repository], asOf: asOf).first
            ?? ProjectionResult(repository: repository.name, outcome: .failed, error: "not projected", startedAt: now(), finishedAt: now())
    }

    /// Projects what changed in the store since each repository's watermark, as one batch: one statement per
    /// kind carries the rows of every repository (up to `batchSize` rows each; on the classic endpoint consecutive
    /// statements share one request, one transaction, up to `batchSize` rows). The watermarks move only after the
    /// whole batch was written; a failure fails every repository of the batch and the next cycle sends it again.
    /// Results in the order of `repositories`; `statements` and `requests` are the whole batch's.
    public func project(repositories: [RepositorySettings], asOf: Date) async -> [ProjectionResult] {
        await run(repositories: repositories, asOf: asOf, rebuild: false)
    }

    /// Clears this repository's part of the graph and writes it again from the store (GitHub is not called).
    public func rebuild(repository: RepositorySettings, asOf: Date) async -> ProjectionResult {
        await run(repositories: [repository], asOf: asOf, rebuild: true).first
            ?? ProjectionResult(repository: repository.name, outcome: .failed, error: "not projected", startedAt: now(), finishedAt: now())
    }

    /// Writes one sync's summary as a `(:SyncRun)` node.
    public func recordSyncRun(_ result: SyncRunRecord, tally: Neo4jRequestTally? = nil) async throws(Neo4jError) {
        try await recordSyncRuns([result], tally: tally)
    }

    /// Writes the summaries of a cycle's syncs as `(:SyncRun)` nodes, in one statement.
    public func recordSyncRuns(_ results: [SyncRunRecord], tally: Neo4jRequestTally? = nil) async throws(Neo4jError) {
        guard !results.isEmpty else { return }
        let rows: [CypherValue] = results.map { result in
            let entities = result.storedByEntity.keys.sorted().map { "\($0)=\(result.storedByEntity[$0] ?? 0)" }
            return .map([
                "repository": .string(result.repository), "id": .string(CypherValue.iso8601(result.startedAt)),
                "startedAt": .datetime(result.startedAt), "finishedAt": .datetime(result.finishedAt),
                "outcome": .string(result.outcome), "error": CypherValue(result.error),
                "requests": .int(Int64(result.requests)),
                "items": .int(Int64(result.storedByEntity.values.reduce(0, +))),
                "entities": .list(entities.map { .string($0) }),
            ])
        }
        var start = 0
        while start < rows.count {
            let end = min(start + batchSize, rows.count)
            _ = try await client.run(
                CypherStatement(ProjectionStatements.mergeNode("SyncRun"), parameters: ["rows": .list(Array(rows[start..<end]))]), tally: tally)
            start = end
        }
    }

    /// Store `maxSequence` minus the projection watermark.
    public func lag(repository: String) throws -> Int64 {
        max(0, try store.maxSequence(repository: repository) - store.projectionWatermark(repository: repository))
    }

    // MARK: - Run

    /// One repository's part of a batch.
    private struct Part {
        var settings: RepositorySettings
        var startedAt: Date
        var outcome = ProjectionResult.Outcome.success
        var error: String?
        var changesRead = 0
        var rowsWritten = 0
        var maxSequence: Int64 = 0
        var rows: ProjectionRows?
    }

    private func run(repositories: [RepositorySettings], asOf: Date, rebuild: Bool) async -> [ProjectionResult] {
        let tally = Neo4jRequestTally()
        let sender = StatementSender(client: client, batchSize: batchSize, tally: tally)
        var parts = repositories.map { Part(settings: $0, startedAt: now()) }
        var batchError: String?
        do {
            if !migrated.isSet { try await migrateSchema(tally: tally) }
            if rebuild {
                for part in parts {
                    try store.setProjectionWatermark(repository: part.settings.name, 0)
                    try await clearRepository(part.settings.name, sender: sender)
                }
            }
        } catch let error as Neo4jError {
            batchError = error.description
        } catch {
            batchError = "\(error)"
        }
        if batchError == nil {
            // Read each repository's changes; one that cannot be read fails alone.
            for index in parts.indices {
                do {
                    try prepare(&parts[index], asOf: asOf, rebuild: rebuild)
                } catch {
                    parts[index].outcome = .failed
                    parts[index].error = "\(error)"
                }
            }
            // Rows ordered by repository name, so writers take one repository's locks in the same order.
            let ordered = parts.indices.filter { parts[$0].rows != nil }.sorted { parts[$0].settings.name < parts[$1].settings.name }
            let batch = ProjectionBatch(ordered.compactMap { parts[$0].rows })
            do {
                for statement in batch.statements { try await sender.send(statement.text, rows: statement.rows) }
                try await sender.flush()
                for index in ordered { try store.setProjectionWatermark(repository: parts[index].settings.name, parts[index].maxSequence) }
            } catch let error as Neo4jError {
                batchError = error.description
            } catch {
                batchError = "\(error)"
            }
            if batchError != nil { for index in ordered { parts[index].rowsWritten = 0 } }
        }
        return parts.map { finish($0, batchError: $0.outcome == .failed ? nil : batchError, tally: tally) }
    }

    /// Reads the repository's changes above its watermark and builds its rows (nil rows: up to date).
    private func prepare(_ part: inout Part, asOf: Date, rebuild: Bool) throws {
        let repository = part.settings.name
        let watermark = try store.projectionWatermark(repository: repository)
        part.maxSequence = try store.maxSequence(repository: repository)
        guard part.maxSequence > watermark || rebuild else {
            part.outcome = .upToDate
            return
        }
        let changes = try ProjectionChanges.read(from: store, repository: repository, after: watermark, pageSize: max(batchSize, 1000))
        part.changesRead = changes.count
        let data = try store.repositoryData(repository)
        let derived = try timeline(data, part.settings.definitions, asOf)
        let rows = ProjectionRows(repository: repository, branch: part.settings.branch, changes: changes, data: data, timeline: derived)
        part.rowsWritten = rows.statements.reduce(0) { $0 + $1.rows.count }
        part.rows = rows
    }

    private func finish(_ part: Part, batchError: String?, tally: Neo4jRequestTally) -> ProjectionResult {
        let repository = part.settings.name
        var outcome = part.outcome
        var errorText = part.error
        if let batchError {
            outcome = .failed
            errorText = batchError
        }
        let finishedAt = now()
        let watermark = (try? store.projectionWatermark(repository: repository)) ?? 0
        let lag = max(0, ((try? store.maxSequence(repository: repository)) ?? watermark) - watermark)
        do {
            try store.recordProjectionRun(
                repository: repository, startedAt: part.startedAt, finishedAt: finishedAt, outcome: outcome.rawValue, error: errorText)
        } catch {
            logger.debug("projection run not recorded", metadata: ["repository": "\(repository)", "error": "\(error)"])
        }
        let written = outcome == .failed ? 0 : part.rowsWritten
        logger.debug(
            "neo4j projection finished",
            metadata: [
                "repository": "\(repository)", "outcome": "\(outcome.rawValue)", "items": "\(written)",
                "requests": "\(tally.requests)", "lag": "\(lag)",
            ])
        return ProjectionResult(
            repository: repository, outcome: outcome, error: errorText, startedAt: part.startedAt, finishedAt: finishedAt,
            itemsWritten: written, changesRead: part.changesRead, statements: tally.statements, requests: tally.requests,
            watermark: watermark, lag: lag)
    }

    private func clearRepository(_ repository: String, sender: StatementSender) async throws(Neo4jError) {
        try await sender.flush()
        for node in GraphSchema.current.nodes where node.key.first == "repository" {
            while true {
                let result = try await client.run(
                    CypherStatement(
                        ProjectionStatements.deleteChunk(node.label),
                        parameters: ["repository": .string(repository), "limit": .int(Int64(batchSize))]),
                    tally: sender.tally)
                let deleted = result.rows.first?.first?.intValue ?? 0
                if deleted < Int64(batchSize) { break }
            }
        }
    }
}

/// Set once the schema migrations ran through this projector.
final class MigrationFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
