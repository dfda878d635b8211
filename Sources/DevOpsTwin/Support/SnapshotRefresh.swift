import Dora
import Exporter
import Foundation
import Logging
import Synchronization
import TwinConfig
import TwinStore

/// Recomputes the metrics snapshot from the store (DORA reports, sync health, rate limit) and publishes it;
/// a scrape only ever reads the published snapshot.
struct SnapshotRefresh: Sendable {
    let configuration: TwinConfiguration
    let store: TwinStore
    let holder: SnapshotHolder
    let projection: ProjectionStatus
    let logger: Logger

    /// `asOf` defaults to now, truncated to whole seconds so `report --as-of` can reproduce a snapshot exactly.
    func refresh(asOf: Date = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))) {
        do {
            let result = try DoraReports.compute(
                store: store, repositories: configuration.repositories, windows: configuration.dora.windows, asOf: asOf)
            var health: [RepositorySyncHealth] = []
            for repository in configuration.repositories {
                let record = try store.syncHealth(repository.name)
                health.append(
                    RepositorySyncHealth(
                        repository: repository.name, lastSuccess: record.lastSuccessAt, lastAttempt: record.lastAttemptAt,
                        lastDuration: record.lastDuration, runsByResult: record.outcomes, itemsByEntity: record.itemsByEntity,
                        requestsByStatus: record.requestsByStatus, storeEntities: result.entityCounts[repository.name] ?? [:]))
            }
            let rateLimits = try store.lastRateLimit().map {
                [RateLimitReading(resource: $0.resource, limit: $0.limit, remaining: $0.remaining, reset: $0.reset)]
            } ?? []
            let snapshot = MetricsSnapshotBuilder.build(
                asOf: asOf, reports: result.reports, syncHealth: health, rateLimits: rateLimits,
                projection: configuration.neo4j == nil ? nil : projection.health,
                build: Exporter.BuildInfo(version: BuildInfo.version, revision: BuildInfo.revision))
            try holder.publish(snapshot)
            logger.debug("metrics snapshot published", metadata: ["families": "\(snapshot.families.count)"])
        } catch {
            // The previous snapshot stays served; the next cycle tries again.
            logger.error("metrics snapshot not refreshed", metadata: ["error": "\(error)"])
        }
    }
}

/// What the daemon knows about the Neo4j projection, for the exporter.
final class ProjectionStatus: Sendable {
    private let state = Mutex(ProjectionHealth(neo4jUp: false))

    var health: ProjectionHealth { state.withLock { $0 } }

    func update(_ body: (inout ProjectionHealth) -> Void) { state.withLock { body(&$0) } }
}
