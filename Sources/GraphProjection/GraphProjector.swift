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
            let row: [String: CypherValue] = ["name": .string(migration.name), "appliedAt": .datetime(now())]
            _ = try await client.run(
                CypherStatement(ProjectionStatements.mergeNode("SchemaMigration"), parameters: ["rows": [.map(row)]]), tally: tally)
            newlyApplied.append(migration.name)
        }
        migrated.set()
        if !newlyApplied.isEmpty { logger.debug("neo4j schema migrated", metadata: ["neo4j.migrations": "\(newlyApplied.count)"]) }
        return newlyApplied
    }

    /// Projects what changed in the store since the watermark. Never throws: failures are in the result (and in
    /// the store's projection history), and leave the watermark where it was.
    public func project(repository: RepositorySettings, asOf: Date) async -> ProjectionResult {
        await run(repository: repository, asOf: asOf, rebuild: false)
    }

    /// Clears this repository's part of the graph and writes it again from the store (GitHub is not called).
    public func rebuild(repository: RepositorySettings, asOf: Date) async -> ProjectionResult {
        await run(repository: repository, asOf: asOf, rebuild: true)
    }

    /// Writes one sync's summary as a `(:SyncRun)` node.
    public func recordSyncRun(_ result: SyncRunRecord, tally: Neo4jRequestTally? = nil) async throws(Neo4jError) {
        let entities = result.storedByEntity.keys.sorted().map { "\($0)=\(result.storedByEntity[$0] ?? 0)" }
        let row: [String: CypherValue] = [
            "repository": .string(result.repository), "id": .string(CypherValue.iso8601(result.startedAt)),
            "startedAt": .datetime(result.startedAt), "finishedAt": .datetime(result.finishedAt),
            "outcome": .string(result.outcome), "error": CypherValue(result.error),
            "requests": .int(Int64(result.requests)),
            "items": .int(Int64(result.storedByEntity.values.reduce(0, +))),
            "entities": .list(entities.map { .string($0) }),
        ]
        _ = try await client.run(CypherStatement(ProjectionStatements.mergeNode("SyncRun"), parameters: ["rows": [.map(row)]]), tally: tally)
    }

    /// Store `maxSequence` minus the projection watermark.
    public func lag(repository: String) throws -> Int64 {
        max(0, try store.maxSequence(repository: repository) - store.projectionWatermark(repository: repository))
    }

    // MARK: - Run

    private func run(repository settings: RepositorySettings, asOf: Date, rebuild: Bool) async -> ProjectionResult {
        let repository = settings.name
        let startedAt = now()
        let tally = Neo4jRequestTally()
        let sender = StatementSender(client: client, batchSize: batchSize, tally: tally)
        var outcome = ProjectionResult.Outcome.success
        var errorText: String?
        var changesRead = 0
        do {
            if !migrated.isSet { try await migrateSchema(tally: tally) }
            if rebuild {
                try store.setProjectionWatermark(repository: repository, 0)
                try await clearRepository(repository, sender: sender)
            }
            let watermark = try store.projectionWatermark(repository: repository)
            let maxSequence = try store.maxSequence(repository: repository)
            if maxSequence <= watermark, !rebuild {
                outcome = .upToDate
            } else {
                let changes = try ProjectionChanges.read(from: store, repository: repository, after: watermark, pageSize: max(batchSize, 1000))
                changesRead = changes.count
                let data = try store.repositoryData(repository)
                let derived = try timeline(data, settings.definitions, asOf)
                let rows = ProjectionRows(repository: repository, branch: settings.branch, changes: changes, data: data, timeline: derived)
                try await write(rows, repository: repository, sender: sender)
                try await sender.flush()
                try store.setProjectionWatermark(repository: repository, maxSequence)
            }
        } catch let error as Neo4jError {
            outcome = .failed
            errorText = error.description
        } catch {
            outcome = .failed
            errorText = "\(error)"
        }
        let finishedAt = now()
        let watermark = (try? store.projectionWatermark(repository: repository)) ?? 0
        let lag = max(0, ((try? store.maxSequence(repository: repository)) ?? watermark) - watermark)
        do {
            try store.recordProjectionRun(
                repository: repository, startedAt: startedAt, finishedAt: finishedAt, outcome: outcome.rawValue, error: errorText)
        } catch {
            logger.debug("projection run not recorded", metadata: ["repository": "\(repository)", "error": "\(error)"])
        }
        logger.debug(
            "neo4j projection finished",
            metadata: [
                "repository": "\(repository)", "outcome": "\(outcome.rawValue)", "items": "\(sender.itemsWritten)",
                "requests": "\(tally.requests)", "lag": "\(lag)",
            ])
        return ProjectionResult(
            repository: repository, outcome: outcome, error: errorText, startedAt: startedAt, finishedAt: finishedAt,
            itemsWritten: sender.itemsWritten, changesRead: changesRead, statements: tally.statements, requests: tally.requests,
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

    private func write(_ rows: ProjectionRows, repository: String, sender: StatementSender) async throws(Neo4jError) {
        typealias S = ProjectionStatements
        let repositoryParameter: [String: CypherValue] = ["repository": .string(repository)]
        // 1. Soft-deleted rows leave the graph.
        for (label, keys) in rows.deletions { try await sender.send(S.deleteNode(label), rows: keys) }
        // 2. Nodes.
        for (label, nodeRows) in rows.nodes { try await sender.send(S.mergeNode(label), rows: nodeRows) }
        // 3. Relationships of changed start nodes are replaced, then all relationships of changed rows merged.
        for (type, label, keys) in rows.replacedOutgoing { try await sender.send(S.deleteOutgoing(type, from: label), rows: keys) }
        for relationship in rows.relationships {
            try await sender.send(S.mergeRelationship(relationship.type, from: relationship.from, to: relationship.to), rows: relationship.rows)
        }
        for label in S.prunedLabels { try await sender.send(S.pruneOrphans(label), parameters: repositoryParameter) }
        // 4. The derived set is replaced.
        try await sender.send(S.clearNodes("Deployment"), parameters: repositoryParameter)
        for (type, label) in S.derivedRelationships {
            try await sender.send(S.clearRelationships(type, from: label), parameters: repositoryParameter)
        }
        for (label, nodeRows) in rows.derivedNodes { try await sender.send(S.mergeNode(label), rows: nodeRows) }
        for relationship in rows.derivedRelationships {
            try await sender.send(S.mergeRelationship(relationship.type, from: relationship.from, to: relationship.to), rows: relationship.rows)
        }
        // 5. Derived properties (every issue's incident flag) are set again.
        for (label, keyRows) in rows.derivedProperties { try await sender.send(S.setDerivedProperties(label), rows: keyRows) }
    }
}

/// Set once the schema migrations ran through this projector.
final class MigrationFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
