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
            var projectionHealth: ProjectionHealth?
            if configuration.neo4j != nil {
                // Lag and history come from the store (true across restarts); only "up" is the daemon's own observation.
                var repositories: [ProjectionHealth.Repository] = []
                for repository in configuration.repositories {
                    let history = try store.projectionHealth(repository.name)
                    let lag = try store.maxSequence(repository: repository.name) - store.projectionWatermark(repository: repository.name)
                    repositories.append(
                        ProjectionHealth.Repository(
                            repository: repository.name, lastSuccess: history.lastSuccessAt, runsByResult: history.outcomes,
                            lagItems: Int(max(0, lag))))
                }
                projectionHealth = ProjectionHealth(neo4jUp: projection.neo4jUp, repositories: repositories)
            }
            let snapshot = MetricsSnapshotBuilder.build(
                asOf: asOf, reports: result.reports, syncHealth: health, rateLimits: rateLimits,
                projection: projectionHealth,
                build: Exporter.BuildInfo(version: BuildInfo.version, revision: BuildInfo.revision))
            try holder.publish(snapshot)
            logger.debug("metrics snapshot published", metadata: ["families": "\(snapshot.families.count)"])
        } catch {
            // The previous snapshot stays served; the next cycle tries again.
            logger.error("metrics snapshot not refreshed", metadata: ["error": "\(error)"])
        }
    }
}

/// Whether the daemon's last Neo4j calls succeeded (0 until the first projection proves it up).
final class ProjectionStatus: Sendable {
    private let state = Mutex(false)

    var neo4jUp: Bool { state.withLock { $0 } }

    func set(up: Bool) { state.withLock { $0 = up } }
}
