import Dora
import Exporter
import Foundation
import Logging
import Synchronization
import Sync
import TwinConfig
import TwinStore
import Webhooks

/// Recomputes the metrics snapshot and the status page from the store (DORA reports, sync health, rate limits,
/// budgets, DORA trend) and publishes them; a scrape or a page view only ever reads what was published.
///
/// A full refresh reads every repository. While a cycle runs, `refresh(changed:)` recomputes only the
/// repositories whose sync ended (and the groups they are in), reusing the cached results of the others, so an
/// organisation's repositories appear on /metrics as they complete, not when the whole cycle ends.
struct SnapshotRefresh: Sendable {
    let catalogue: RepositoryCatalogue
    let store: TwinStore
    let holder: SnapshotHolder
    let projection: ProjectionStatus
    let budgets: BudgetStatus
    let cache: SnapshotCache
    let build: Exporter.BuildInfo
    let logger: Logger
    /// The webhook receiver's counters, when webhooks are on.
    var webhooks: WebhookStatistics? = nil
    /// The alert receiver's counters, when `webhooks.alertmanager` is on.
    var alerts: AlertReceiverStatistics? = nil

    /// `asOf` defaults to now, truncated to whole seconds so `report --as-of` can reproduce a snapshot exactly.
    func refresh(asOf: Date = SnapshotRefresh.now()) {
        refresh(changed: nil, asOf: asOf)
    }

    static func now() -> Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    /// Recomputes `changed` repositories only (nil: all of them).
    @discardableResult
    func refresh(changed: Set<String>?, asOf: Date = SnapshotRefresh.now()) -> SnapshotRefreshTimings? {
        let started = ContinuousClock.now
        let configuration = catalogue.current
        do {
            let cached = cache.state.withLock { $0 }
            let names = configuration.repositories.map(\.name)
            // Partial only when every other repository has cached results from a full refresh.
            let partial = changed.map { changed in names.allSatisfy { changed.contains($0) || cached.reports[$0] != nil } } ?? false
            let recompute = partial ? configuration.repositories.filter { changed?.contains($0.name) ?? true } : configuration.repositories
            let data = try DoraReports.load(store: store, repositories: recompute)
            var state = partial ? cached : SnapshotCache.State()
            // Rendered series survive a full refresh: a repository whose inputs did not change is not rendered again.
            state.series = cached.series
            // And the trend, until this refresh's points replace it (they are computed once /metrics is served).
            state.trend = cached.trend
            state.trendAsOf = cached.trendAsOf
            for report in try DoraReports.reports(
                data: data, repositories: recompute, windows: configuration.dora.windows, asOf: asOf)
            {
                state.reports[report.repository] = report
            }
            for repository in recompute {
                let record = try store.syncHealth(repository.name)
                state.health[repository.name] = RepositorySyncHealth(
                    repository: repository.name, lastSuccess: record.lastSuccessAt, lastAttempt: record.lastAttemptAt,
                    lastDuration: record.lastDuration, lastOutcome: record.lastOutcome, runsByResult: record.outcomes,
                    itemsByEntity: record.itemsByEntity, requestsByStatus: record.requestsByStatus,
                    storeEntities: try store.entityCounts(repository.name))
            }
            // Groups: those with a recomputed member, from their members' data.
            let touched = Set(recompute.map(\.name))
            let groups = configuration.groups.filter { !partial || $0.repositories.contains(where: touched.contains) }
            if !groups.isEmpty {
                let members = configuration.repositories.filter { repository in
                    groups.contains { $0.repositories.contains(repository.name) }
                }
                var memberData = data
                let missing = members.filter { memberData[$0.name] == nil }
                for (name, read) in try DoraReports.load(store: store, repositories: missing) { memberData[name] = read }
                for report in try DoraReports.groupReports(
                    data: memberData, repositories: configuration.repositories, groups: groups, windows: configuration.dora.windows,
                    benchmark: configuration.dora.benchmark, asOf: asOf)
                {
                    state.groups[report.group] = report
                }
            }
            let known = Set(names)
            let reports = names.compactMap { state.reports[$0] }
            let groupReports = configuration.groups.compactMap { state.groups[$0.name] }
            let health = names.compactMap { state.health[$0] }
            state.reports = state.reports.filter { known.contains($0.key) }
            state.health = state.health.filter { known.contains($0.key) }

            let rateLimits = try store.rateLimits().map {
                RateLimitReading(credential: $0.credential, resource: $0.resource, limit: $0.limit, remaining: $0.remaining, reset: $0.reset)
            }
            var neo4jUp: Bool?
            if configuration.neo4j != nil {
                // Lag and history come from the store (true across restarts); only "up" is the daemon's own observation.
                // A partial refresh reads them for its repositories only; the cycle's full refresh reads them all.
                neo4jUp = projection.neo4jUp
                for repository in recompute {
                    let history = try store.projectionHealth(repository.name)
                    let lag = try store.maxSequence(repository: repository.name) - store.projectionWatermark(repository: repository.name)
                    state.projection[repository.name] = ProjectionHealth.Repository(
                        repository: repository.name, lastSuccess: history.lastSuccessAt, runsByResult: history.outcomes,
                        lagItems: Int(max(0, lag)))
                }
            } else {
                state.projection = [:]
            }
            // Each repository's series, rendered again only when what they are computed from changed.
            let filter = self.filter(configuration)
            var series: [RepositorySeries] = []
            series.reserveCapacity(names.count)
            var rendered = 0
            for name in names {
                let inputs = RepositorySeries.Inputs(
                    report: state.reports[name], syncHealth: state.health[name], projection: state.projection[name], filter: filter)
                if let cachedSeries = state.series[name], cachedSeries.inputs == inputs {
                    series.append(cachedSeries)
                } else {
                    let fresh = RepositorySeries(
                        repository: name, report: state.reports[name], syncHealth: state.health[name], projection: state.projection[name],
                        filter: filter)
                    state.series[name] = fresh
                    series.append(fresh)
                    rendered += 1
                }
            }
            state.series = state.series.filter { known.contains($0.key) }
            state.projection = state.projection.filter { known.contains($0.key) }
            cache.state.withLock { $0 = state }
            let budgetReadings = budgets.budgets.map(SyncBudgetReading.init)
            let global = MetricsSnapshotBuilder.build(
                asOf: asOf, reports: [], groups: groupReports, rateLimits: rateLimits,
                projection: neo4jUp.map { ProjectionHealth(neo4jUp: $0) }, budgets: budgetReadings,
                webhooks: webhooks?.snapshot.health(repositories: configuration.repositories.map(\.name)),
                instance: InstanceInfo(
                    shardOrdinal: configuration.shard.index, totalShards: configuration.shard.total,
                    syncInterval: configuration.sync.interval),
                alerts: try AlertIngest.health(store: store, repositories: configuration.repositories, statistics: alerts, asOf: asOf),
                build: build)
            let composed = ComposedSnapshot(global: filter.apply(global), repositories: series, filter: filter)
            // /metrics first (with the page served until now), then the page, whose rendering grows with the
            // repositories: a scrape sees the new numbers without waiting for the HTML.
            let metrics = try RenderedSnapshot(composed, renderedStatusPage: holder.rendered?.statusPage)
            holder.publish(metrics)
            let generation = holder.renderedWithGeneration.generation
            let metricsPublished = ContinuousClock.now - started
            // The status page's trend (its points for the recomputed repositories) only once /metrics is served.
            // The trend keeps the instants of the last full refresh; a partial one replaces its repositories' points.
            let trendAsOf = partial ? (state.trendAsOf ?? asOf) : asOf
            let trendPoints = try (0...StatusPageTrend.weeks).reversed().map { weeksBack in
                let instant = trendAsOf.addingTimeInterval(-Double(weeksBack) * StatusPageTrend.step)
                return (instant, try DoraReports.reports(data: data, repositories: recompute, windows: [StatusPageTrend.window], asOf: instant))
            }
            for (offset, point) in trendPoints.enumerated() {
                for report in point.1 { state.trend[report.repository, default: [:]][offset] = report }
            }
            state.trendAsOf = trendAsOf
            state.trend = state.trend.filter { known.contains($0.key) }
            let trend = DoraTrend(
                window: StatusPageTrend.window,
                points: (0...StatusPageTrend.weeks).map { offset in
                    DoraTrend.Point(
                        asOf: trendAsOf.addingTimeInterval(-Double(StatusPageTrend.weeks - offset) * StatusPageTrend.step),
                        reports: names.compactMap { state.trend[$0]?[offset] })
                })
            cache.state.withLock { $0 = state }
            let page = StatusPageContent(
                asOf: asOf, reports: reports, groups: groupReports, syncHealth: health, rateLimits: rateLimits, trend: trend, build: build)
            // Not over a newer publication (the webhook counters' one keeps the page it found; the next refresh renders it).
            _ = holder.publish(metrics.replacingStatusPage(page), ifGeneration: generation)
            let total = ContinuousClock.now - started
            logger.debug(
                "metrics snapshot published",
                metadata: [
                    "series": "\(composed.seriesCount)", "duration": "\(total)", "metricsPublishedAfter": "\(metricsPublished)",
                    "recomputed": "\(recompute.count) of \(names.count)", "rendered": "\(rendered) of \(names.count)",
                ])
            return SnapshotRefreshTimings(metricsPublished: metricsPublished, total: total, repositoriesRendered: rendered)
        } catch {
            // The previous snapshot stays served; the next cycle tries again.
            logger.error("metrics snapshot not refreshed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

/// What the last refreshes computed, per repository and group, for partial refreshes.
final class SnapshotCache: Sendable {
    struct State: Sendable {
        var reports: [String: RepositoryReport] = [:]
        var groups: [String: GroupReport] = [:]
        var health: [String: RepositorySyncHealth] = [:]
        /// Trend reports per repository, by point (0 the oldest).
        var trend: [String: [Int: RepositoryReport]] = [:]
        var trendAsOf: Date?
        /// Projection state per repository (Neo4j configured).
        var projection: [String: ProjectionHealth.Repository] = [:]
        /// Each repository's rendered series, with the inputs they were rendered from.
        var series: [String: RepositorySeries] = [:]
    }

    let state = Mutex(State())
}

extension SnapshotRefresh {
    /// `exporter.exclude` as the exporter's filter. The configuration loader checked the names; a name it could
    /// not check (a loader without the catalogue) that is unknown leaves the filter off, and says so.
    func filter(_ configuration: TwinConfiguration) -> MetricsFilter {
        let exporter = configuration.exporter
        guard !exporter.excludeFamilies.isEmpty || !exporter.excludeWindows.isEmpty else { return .none }
        do {
            return try MetricsFilter.validated(
                families: exporter.excludeFamilies, windows: exporter.excludeWindows, knownWindows: configuration.dora.windows.map(\.name))
        } catch {
            logger.error("exporter.exclude ignored", metadata: ["error": "\(error)"])
            return .none
        }
    }
}

extension SyncBudgetReading {
    init(_ budget: CredentialBudget) {
        self.init(
            credential: budget.credential, reserve: budget.reserve, planned: budget.planned, spent: budget.spent, waiting: budget.waiting,
            coverage: budget.coverage, estimatedCompletion: budget.estimatedCompletion)
    }
}
