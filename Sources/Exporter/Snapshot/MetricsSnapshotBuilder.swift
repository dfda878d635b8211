import Dora
import Foundation

/// Builds a `MetricsSnapshot` from the DORA reports and the exporter-side inputs. Pure: same inputs, same snapshot.
///
/// Rules: a statistic without samples is absent while its `*_samples` gauge says 0; a ratio with a zero
/// denominator is absent; a level is absent when ungraded; non-finite values are never emitted; a repository
/// appearing twice is exported once (the first occurrence wins). A window the synced history does not cover has
/// `devops_twin_dora_window_complete` 0 and every statistic family absent (spec v1.2, "Coverage").
public enum MetricsSnapshotBuilder {
    /// Every family name the exporter can produce, in rendering order.
    public static var familyNames: [String] { MetricCatalogue.all.map(\.name) }

    /// Builds the snapshot served at `asOf`.
    /// - Parameters:
    ///   - reports: one DORA report per repository.
    ///   - syncHealth: sync health per repository.
    ///   - rateLimits: the last rate-limit reading per resource.
    ///   - projection: Neo4j projection health; nil when Neo4j is not configured (its families are then absent).
    ///   - groups: one DORA report per group, exported in the `devops_twin_group_*` families.
    ///   - instance: the shard and the sync interval (the daemon's); nil leaves their families out.
    public static func build(
        asOf: Date, reports: [RepositoryReport], groups: [GroupReport] = [], syncHealth: [RepositorySyncHealth] = [],
        rateLimits: [RateLimitReading] = [], projection: ProjectionHealth? = nil, budgets: [SyncBudgetReading] = [],
        webhooks: WebhookHealth? = nil, instance: InstanceInfo? = nil, alerts: AlertHealth? = nil,
        build: BuildInfo
    ) -> MetricsSnapshot {
        var families = FamilyAccumulator()
        var seenReports = Set<String>()
        for report in reports where seenReports.insert(report.repository).inserted {
            addDora(report.windowResults, subject: MetricLabel("repository", report.repository), openIncidents: report.openIncidents, to: &families) { $0 }
            families.add(
                MetricCatalogue.doraDefinitionInfo, [MetricLabel("repository", report.repository)] + definitionLabels(report.definitions), 1)
            if case .partial(let from) = report.coverage {
                families.add(MetricCatalogue.historyCoveredFrom, [MetricLabel("repository", report.repository)], from.timeIntervalSince1970)
            }
        }
        var seenGroups = Set<String>()
        for group in groups where seenGroups.insert(group.group).inserted {
            let subject = MetricLabel("group", group.group)
            addDora(group.windowResults, subject: subject, openIncidents: group.openIncidents, to: &families, MetricCatalogue.group)
            for repository in group.repositories {
                families.add(MetricCatalogue.groupMemberInfo, [subject, MetricLabel("repository", repository)], 1)
            }
        }
        var seenHealth = Set<String>()
        for health in syncHealth where seenHealth.insert(health.repository).inserted {
            addSync(health, to: &families)
        }
        for reading in rateLimits {
            let labels = [MetricLabel("credential", reading.credential), MetricLabel("resource", reading.resource)]
            families.add(MetricCatalogue.rateLimitRemaining, labels, Double(reading.remaining))
            families.add(MetricCatalogue.rateLimitLimit, labels, Double(reading.limit))
            families.add(MetricCatalogue.rateLimitReset, labels, reading.reset.timeIntervalSince1970)
        }
        for budget in budgets {
            let credential = MetricLabel("credential", budget.credential)
            families.add(MetricCatalogue.budgetReserve, [credential], Double(budget.reserve))
            families.add(MetricCatalogue.budgetPlanned, [credential], Double(budget.planned))
            families.add(MetricCatalogue.budgetSpent, [credential], Double(budget.spent))
            families.add(MetricCatalogue.budgetWaiting, [credential], Double(budget.waiting))
            for state in ["complete", "partial", "none"] {
                families.add(MetricCatalogue.historyCoverage, [credential, MetricLabel("coverage", state)], Double(budget.coverage[state] ?? 0))
            }
            if let seconds = budget.estimatedCompletion {
                families.add(MetricCatalogue.budgetCompletion, [credential], seconds)
            }
        }
        if let instance {
            families.add(MetricCatalogue.syncInterval, [], instance.syncInterval)
            families.add(MetricCatalogue.shardOrdinal, [], Double(instance.shardOrdinal))
            families.add(MetricCatalogue.totalShards, [], Double(instance.totalShards))
        }
        families.add(MetricCatalogue.snapshotTimestamp, [], asOf.timeIntervalSince1970)
        if let projection {
            addProjection(projection, to: &families)
        }
        if let webhooks {
            addWebhooks(webhooks, to: &families)
        }
        if let alerts {
            alerts.add(to: &families)
        }
        families.add(
            MetricCatalogue.buildInfo, [MetricLabel("version", build.version), MetricLabel("revision", build.revision)], 1)
        return MetricsSnapshot(asOf: asOf, families: families.families())
    }

    /// One repository's families (DORA and CI per window, definitions, coverage, sync health, projection state):
    /// the samples `build` gives that repository, in catalogue order. A refresh keeps them per repository
    /// (`RepositorySeries`) and re-renders only the repositories whose inputs changed.
    public static func repositoryFamilies(
        report: RepositoryReport?, syncHealth: RepositorySyncHealth?, projection: ProjectionHealth.Repository?
    ) -> [MetricFamily] {
        var families = FamilyAccumulator()
        if let report {
            addDora(report.windowResults, subject: MetricLabel("repository", report.repository), openIncidents: report.openIncidents, to: &families) { $0 }
            families.add(
                MetricCatalogue.doraDefinitionInfo, [MetricLabel("repository", report.repository)] + definitionLabels(report.definitions), 1)
            if case .partial(let from) = report.coverage {
                families.add(MetricCatalogue.historyCoveredFrom, [MetricLabel("repository", report.repository)], from.timeIntervalSince1970)
            }
        }
        if let syncHealth { addSync(syncHealth, to: &families) }
        if let projection { addProjection(projection, to: &families) }
        return families.families()
    }

    // MARK: DORA

    /// One subject's (a repository's or a group's) DORA and CI families; `family` picks the variant.
    private static func addDora(
        _ results: [WindowResult], subject: MetricLabel, openIncidents: Int, to families: inout FamilyAccumulator,
        _ family: (MetricCatalogue.Descriptor) -> MetricCatalogue.Descriptor
    ) {
        let repository = subject
        for result in results {
            let labels = [repository, MetricLabel("window", result.window.name)]
            families.add(family(MetricCatalogue.doraWindowComplete), labels, result.isComplete ? 1 : 0)
            // An incomplete window has no statistics at all: nothing computed from part of the data.
            guard let window = result.metrics else { continue }
            families.add(family(MetricCatalogue.doraDeployments), labels, Double(window.deployments))
            families.add(family(MetricCatalogue.doraDeploymentDays), labels, Double(window.deploymentDays))
            families.add(family(MetricCatalogue.doraDeploymentsPerDay), labels, window.deploymentsPerDay)
            families.addStatistics(
                family(MetricCatalogue.doraLeadTime), samples: family(MetricCatalogue.doraLeadTimeSamples), labels, window.leadTime,
                [.p50, .p75, .p90, .mean])
            families.add(family(MetricCatalogue.doraSkewedCommits), labels, Double(window.skewedCommits))
            families.add(family(MetricCatalogue.doraUntrackedDeployments), labels, Double(window.untrackedDeployments))
            families.add(family(MetricCatalogue.doraChangeFailureRatio), labels, window.changeFailure.value)
            families.add(family(MetricCatalogue.doraChangeFailureSamples), labels, Double(window.changeFailure.denominator))
            families.add(family(MetricCatalogue.doraFailedAttempts), labels, Double(window.failedDeploymentAttempts))
            families.add(
                family(MetricCatalogue.doraIncidents), labels + [MetricLabel("attribution", "attributed")],
                Double(window.attributedIncidents))
            families.add(
                family(MetricCatalogue.doraIncidents), labels + [MetricLabel("attribution", "unattributed")],
                Double(window.unattributedIncidents))
            families.addStatistics(
                family(MetricCatalogue.doraTimeToRestore), samples: family(MetricCatalogue.doraTimeToRestoreSamples), labels,
                window.timeToRestore, [.p50, .p90, .mean])
            families.addStatistics(
                family(MetricCatalogue.doraRecovery), samples: family(MetricCatalogue.doraRecoverySamples), labels,
                window.failedDeploymentRecovery, [.p50, .p90, .mean])
            families.add(family(MetricCatalogue.doraReworkRatio), labels, window.rework.value)
            families.add(family(MetricCatalogue.doraReworkDeployments), labels, Double(window.rework.numerator))
            for metric in GradedMetric.allCases {
                guard let level = window.levels[metric] else { continue }
                families.add(
                    family(MetricCatalogue.doraLevel), labels + [MetricLabel("metric", metric.rawValue)], Double(level.rawValue))
            }
            addCI(window, subject: repository, to: &families, family)
        }
        families.add(family(MetricCatalogue.doraOpenIncidents), [repository], Double(openIncidents))
    }

    private static func addCI(
        _ window: WindowMetrics, subject repository: MetricLabel, to families: inout FamilyAccumulator,
        _ family: (MetricCatalogue.Descriptor) -> MetricCatalogue.Descriptor
    ) {
        for ci in window.ci {
            let labels = [repository, MetricLabel("workflow", ci.workflow), MetricLabel("window", window.window.name)]
            families.addStatistics(
                family(MetricCatalogue.ciDuration), samples: family(MetricCatalogue.ciDurationSamples), labels, ci.duration, [.p50, .p95])
            for (branchClass, ratio) in [("tracked", ci.trackedBranchSuccess), ("other", ci.otherBranchesSuccess)] {
                let classLabels = labels + [MetricLabel("branch_class", branchClass)]
                families.add(family(MetricCatalogue.ciSuccessRatio), classLabels, ratio.value)
                families.add(family(MetricCatalogue.ciRuns), classLabels, Double(ratio.denominator))
            }
            families.addStatistics(
                family(MetricCatalogue.ciRecovery), samples: family(MetricCatalogue.ciRecoverySamples), labels, ci.recovery,
                [.p50, .p90, .mean])
        }
    }

    /// The labels of `devops_twin_dora_definition_info`; see docs/metrics.md for their format.
    static func definitionLabels(_ definitions: DoraDefinitions) -> [MetricLabel] {
        let source: String
        switch definitions.deploymentSource {
        case .releases(let includePrereleases): source = includePrereleases ? "releases+prereleases" : "releases"
        case .tags: source = "tags"
        case .workflow(let names): source = "workflow:" + names.joined(separator: ",")
        case .deployments(let environmentPattern): source = "deployments:" + environmentPattern
        }
        let rules = definitions.incidentRules.map { $0.joined(separator: "&") }.joined(separator: "|")
        return [
            MetricLabel("deployment_source", source),
            MetricLabel("deployment_pattern", definitions.deploymentPattern ?? ""),
            MetricLabel("incident_rules", rules),
            MetricLabel("benchmark", definitions.benchmark.rawValue),
        ]
    }

    // MARK: Sync and projection health

    private static func addSync(_ health: RepositorySyncHealth, to families: inout FamilyAccumulator) {
        let repository = [MetricLabel("repository", health.repository)]
        families.add(MetricCatalogue.syncLastSuccess, repository, health.lastSuccess?.timeIntervalSince1970)
        families.add(MetricCatalogue.syncLastAttempt, repository, health.lastAttempt?.timeIntervalSince1970)
        families.add(MetricCatalogue.syncLastDuration, repository, health.lastDuration)
        for (result, count) in withKnownKeys(health.runsByResult, RepositorySyncHealth.knownResults) {
            families.add(MetricCatalogue.syncRuns, repository + [MetricLabel("result", result)], Double(count))
        }
        for (entity, count) in sorted(health.itemsByEntity) {
            families.add(MetricCatalogue.syncItems, repository + [MetricLabel("entity", entity)], Double(count))
        }
        for (status, count) in sorted(health.requestsByStatus) {
            families.add(MetricCatalogue.githubRequests, repository + [MetricLabel("status", status)], Double(count))
        }
        for (entity, count) in sorted(health.storeEntities) {
            families.add(MetricCatalogue.storeEntities, repository + [MetricLabel("entity", entity)], Double(count))
        }
    }

    private static func addProjection(_ projection: ProjectionHealth, to families: inout FamilyAccumulator) {
        families.add(MetricCatalogue.neo4jUp, [], projection.neo4jUp ? 1 : 0)
        var seen = Set<String>()
        for state in projection.repositories where seen.insert(state.repository).inserted {
            addProjection(state, to: &families)
        }
    }

    private static func addProjection(_ state: ProjectionHealth.Repository, to families: inout FamilyAccumulator) {
        let repository = [MetricLabel("repository", state.repository)]
        families.add(MetricCatalogue.projectionLastSuccess, repository, state.lastSuccess?.timeIntervalSince1970)
        for (result, count) in withKnownKeys(state.runsByResult, ProjectionHealth.knownResults) {
            families.add(MetricCatalogue.projectionRuns, repository + [MetricLabel("result", result)], Double(count))
        }
        families.add(MetricCatalogue.projectionLag, repository, Double(state.lagItems))
    }

    private static func addWebhooks(_ webhooks: WebhookHealth, to families: inout FamilyAccumulator) {
        let deliveries = webhooks.deliveries.sorted { ($0.event, $0.result) < ($1.event, $1.result) }
        for delivery in deliveries {
            families.add(
                MetricCatalogue.webhookDeliveries,
                [MetricLabel("event", delivery.event), MetricLabel("result", delivery.result)], Double(delivery.count))
        }
        for (reason, count) in withKnownKeys(webhooks.signatureFailures, WebhookHealth.knownSignatureFailures) {
            families.add(MetricCatalogue.webhookSignatureFailures, [MetricLabel("reason", reason)], Double(count))
        }
        for (repository, count) in sorted(webhooks.acceptedByRepository) {
            families.add(MetricCatalogue.webhookRepositoryDeliveries, [MetricLabel("repository", repository)], Double(count))
        }
        for (result, count) in withKnownKeys(webhooks.forwarded, WebhookHealth.knownForwardResults) {
            families.add(MetricCatalogue.webhookForwarded, [MetricLabel("result", result)], Double(count))
        }
        families.add(MetricCatalogue.webhookQueueDepth, [], Double(webhooks.queueDepth))
        families.addHistogram(MetricCatalogue.webhookDeliveryToSnapshot, [], webhooks.deliveryToSnapshot)
    }

    /// `snapshot` with its webhook families replaced by `webhooks`' (the receiver's counters move between
    /// refreshes; everything else stays as computed).
    public static func replacingWebhookFamilies(in snapshot: MetricsSnapshot, with webhooks: WebhookHealth) -> MetricsSnapshot {
        var accumulator = FamilyAccumulator()
        addWebhooks(webhooks, to: &accumulator)
        let fresh = accumulator.families()
        let names = Set(MetricCatalogue.webhookFamilies.map(\.name))
        var families = snapshot.families.filter { !names.contains($0.name) }
        let order = MetricCatalogue.all.map(\.name)
        let webhookPosition = order.firstIndex(of: MetricCatalogue.webhookDeliveries.name) ?? order.count
        let insertAt = families.firstIndex { (order.firstIndex(of: $0.name) ?? order.count) > webhookPosition } ?? families.count
        families.insert(contentsOf: fresh, at: insertAt)
        return MetricsSnapshot(asOf: snapshot.asOf, families: families)
    }

    /// Known keys first (0 when missing), then the others sorted.
    private static func withKnownKeys(_ counts: [String: Int], _ known: [String]) -> [(String, Int)] {
        known.map { ($0, counts[$0] ?? 0) } + sorted(counts.filter { !known.contains($0.key) })
    }

    private static func sorted(_ counts: [String: Int]) -> [(String, Int)] {
        counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// The statistics a duration family may report, with their `statistic` label values.
enum Statistic: String {
    case p50, p75, p90, p95, mean

    func value(in statistics: DurationStatistics) -> Double? {
        switch self {
        case .p50: statistics.p50
        case .p75: statistics.p75
        case .p90: statistics.p90
        case .p95: statistics.p95
        case .mean: statistics.mean
        }
    }
}

/// Collects samples per family in catalogue order, dropping absent and non-finite values and duplicate label sets.
struct FamilyAccumulator {
    private var samples: [String: [MetricSample]] = [:]
    private var labelSets: [String: Set<[MetricLabel]>] = [:]

    mutating func add(_ family: MetricCatalogue.Descriptor, _ labels: [MetricLabel], _ value: Double?) {
        guard let value, value.isFinite else { return }
        guard labelSets[family.name, default: []].insert(labels).inserted else { return }
        samples[family.name, default: []].append(MetricSample(labels: labels, value: value))
    }

    /// The statistics present in `statistics` (none when it has no samples) and the sample count.
    mutating func addStatistics(
        _ family: MetricCatalogue.Descriptor, samples samplesFamily: MetricCatalogue.Descriptor, _ labels: [MetricLabel],
        _ statistics: DurationStatistics, _ reported: [Statistic]
    ) {
        if statistics.samples > 0 {
            for statistic in reported {
                add(family, labels + [MetricLabel("statistic", statistic.rawValue)], statistic.value(in: statistics))
            }
        }
        add(samplesFamily, labels, Double(statistics.samples))
    }

    /// A histogram's `_bucket` (one per bound, `le` last), `_sum` and `_count` samples.
    mutating func addHistogram(_ family: MetricCatalogue.Descriptor, _ labels: [MetricLabel], _ histogram: HistogramValue) {
        guard labelSets[family.name, default: []].insert(labels).inserted else { return }
        for (bound, count) in zip(histogram.bounds, histogram.cumulativeCounts) {
            let le = bound.isInfinite ? "+Inf" : ExpositionRenderer.formatValue(bound)
            samples[family.name, default: []].append(
                MetricSample(labels: labels + [MetricLabel("le", le)], value: Double(count), suffix: "_bucket"))
        }
        samples[family.name, default: []].append(MetricSample(labels: labels, value: histogram.sum, suffix: "_sum"))
        samples[family.name, default: []].append(MetricSample(labels: labels, value: Double(histogram.count), suffix: "_count"))
    }

    func families() -> [MetricFamily] {
        MetricCatalogue.all.compactMap { descriptor in
            guard let samples = samples[descriptor.name], !samples.isEmpty else { return nil }
            return MetricFamily(
                name: descriptor.name, type: descriptor.type, unit: descriptor.unit, help: descriptor.help, samples: samples)
        }
    }
}
