import Dora
import Exporter
import Foundation
import Logging
import TwinConfig
import TwinStore
import Webhooks

/// Recomputes the metrics snapshot and the status page from the store (DORA reports, sync health, rate limit,
/// DORA trend) and publishes them; a scrape or a page view only ever reads what was published.
struct SnapshotRefresh: Sendable {
    let configuration: TwinConfiguration
    let store: TwinStore
    let holder: SnapshotHolder
    let projection: ProjectionStatus
    let build: Exporter.BuildInfo
    let logger: Logger
    /// The webhook receiver's counters, when webhooks are on.
    var webhooks: WebhookStatistics? = nil

    /// `asOf` defaults to now, truncated to whole seconds so `report --as-of` can reproduce a snapshot exactly.
    func refresh(asOf: Date = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))) {
        let started = ContinuousClock.now
        do {
            // The store is read once; the current reports and every trend point come from the same data.
            let data = try DoraReports.load(store: store, repositories: configuration.repositories)
            let reports = try DoraReports.reports(
                data: data, repositories: configuration.repositories, windows: configuration.dora.windows, asOf: asOf)
            let groups = try DoraReports.groupReports(
                data: data, repositories: configuration.repositories, groups: configuration.groups,
                windows: configuration.dora.windows, benchmark: configuration.dora.benchmark, asOf: asOf)
            let trend = try StatusPageTrend.compute(data: data, repositories: configuration.repositories, asOf: asOf)
            var health: [RepositorySyncHealth] = []
            for repository in configuration.repositories {
                let record = try store.syncHealth(repository.name)
                let entities = try store.entityCounts(repository.name)
                health.append(
                    RepositorySyncHealth(
                        repository: repository.name, lastSuccess: record.lastSuccessAt, lastAttempt: record.lastAttemptAt,
                        lastDuration: record.lastDuration, lastOutcome: record.lastOutcome, runsByResult: record.outcomes,
                        itemsByEntity: record.itemsByEntity, requestsByStatus: record.requestsByStatus, storeEntities: entities))
            }
            let rateLimits =
                try store.lastRateLimit().map {
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
                asOf: asOf, reports: reports, groups: groups, syncHealth: health, rateLimits: rateLimits,
                projection: projectionHealth,
                webhooks: webhooks?.snapshot.health(repositories: configuration.repositories.map(\.name)), build: build)
            let page = StatusPageContent(
                asOf: asOf, reports: reports, groups: groups, syncHealth: health, rateLimits: rateLimits, trend: trend, build: build)
            try holder.publish(snapshot, statusPage: page)
            logger.debug(
                "metrics snapshot published",
                metadata: ["families": "\(snapshot.families.count)", "duration": "\(ContinuousClock.now - started)"])
        } catch {
            // The previous snapshot stays served; the next cycle tries again.
            logger.error("metrics snapshot not refreshed", metadata: ["error": "\(error)"])
        }
    }
}
