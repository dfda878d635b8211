import AsyncHTTPClient
import Foundation
import Logging
import Neo4jHTTP
import GraphProjection
import Sync
import TwinConfig
import TwinStore

extension TwinConfiguration {
    /// The Neo4j client for the configured server, or nil when Neo4j is not configured.
    public func makeNeo4jClient(httpClient: HTTPClient, logger: Logger) throws(TwinRuntimeError) -> Neo4jClient? {
        guard let neo4j else { return nil }
        let authentication: Neo4jAuthentication =
            neo4j.password.map { .basic(user: neo4j.user, password: $0.value) } ?? .none
        let configuration = Neo4jClientConfiguration(
            url: neo4j.url, database: neo4j.database, authentication: authentication,
            requestTimeout: .milliseconds(Int64(neo4j.requestTimeout * 1000)), maxRetries: 2)
        do {
            return try Neo4jClient(configuration: configuration, httpClient: httpClient, logger: logger)
        } catch {
            throw TwinRuntimeError(.invalidConfiguration, "\(error)")
        }
    }

    /// The projector writing `store` into the configured Neo4j (`neo4j.batchSize` rows per statement), or nil
    /// when Neo4j is not configured: what the daemon's cycle and `devops-twin project` both use.
    public func makeGraphProjector(store: TwinStore, httpClient: HTTPClient, logger: Logger) throws(TwinRuntimeError) -> GraphProjector? {
        guard let neo4j, let client = try makeNeo4jClient(httpClient: httpClient, logger: logger) else { return nil }
        return GraphProjector(store: store, client: client, batchSize: neo4j.batchSize, logger: logger)
    }
}

/// Projects the store into Neo4j after each sync when `neo4j` is configured (no-op otherwise). A Neo4j
/// outage is logged and shows in `devops_twin_neo4j_up` and the projection lag; the store is untouched and
/// the next cycle catches up from the watermark.
struct ProjectionWiring: Sendable {
    let configuration: TwinConfiguration
    /// The repositories in force (discovered ones included); nil: the configuration's.
    let catalogue: RepositoryCatalogue?
    let projector: GraphProjector?
    let status: ProjectionStatus
    let logger: Logger

    init(
        configuration: TwinConfiguration, catalogue: RepositoryCatalogue? = nil, store: TwinStore, httpClient: HTTPClient,
        status: ProjectionStatus, logger: Logger
    ) throws(TwinRuntimeError) {
        self.configuration = configuration
        self.catalogue = catalogue
        self.status = status
        self.logger = logger
        projector = try configuration.makeGraphProjector(store: store, httpClient: httpClient, logger: logger)
    }

    /// Projects every configured repository, or only those named in `only` (after targeted syncs), as one batch:
    /// the cycle's sync runs in one statement, then one statement per kind across the repositories.
    func projectAll(after summary: SyncSummary?, only: Set<String>? = nil) async {
        guard let projector else { return }
        var up = true
        let repositories = (catalogue?.current ?? configuration).repositories.filter { only?.contains($0.name) ?? true }
        if Task.isCancelled { return }
        let names = Set(repositories.map(\.name))
        let runs = (summary?.repositories ?? []).filter { names.contains($0.repository) }.map(SyncRunRecord.init)
        do {
            try await projector.recordSyncRuns(runs)
        } catch {
            up = false
        }
        let results = await projector.project(repositories: repositories, asOf: Date())
        for result in results {
            var metadata: Logger.Metadata = [
                "repository": "\(result.repository)", "outcome": "\(result.outcome.rawValue)", "items": "\(result.itemsWritten)",
                "lag": "\(result.lag)",
            ]
            if let error = result.error { metadata["error"] = "\(error)" }
            if Task.isCancelled {
                // A graceful stop in the middle of a projection: nothing failed, the next start catches up.
                logger.notice("projection stopped by shutdown; the next start catches up", metadata: metadata)
                return
            }
            if result.outcome == .failed {
                up = false
                logger.error("projection to neo4j failed; the next cycle catches up", metadata: metadata)
            } else {
                logger.info("projection finished", metadata: metadata)
            }
        }
        status.set(up: up)
    }
}

extension SyncRunRecord {
    /// The graph's summary of one repository's sync.
    init(_ result: RepositorySyncResult) {
        self.init(
            repository: result.repository, startedAt: result.startedAt, finishedAt: result.finishedAt,
            outcome: result.outcome.rawValue, error: result.error, requests: result.requests.values.reduce(0, +),
            storedByEntity: result.entities.mapValues(\.stored))
    }
}
