import Dora
import Exporter
import Foundation

/// Deterministic inputs for the exporter tests.
enum Fixtures {
    /// 2025-11-29T00:00:00Z.
    static let asOf = Date(timeIntervalSince1970: 1_764_374_400)
    static let build = BuildInfo(version: "1.2.3", revision: "abc1234")
    /// A repository name exercising every escape of label values.
    static let awkwardRepository = "acme/\"quoted\"\\back\nslash"
    /// A workflow name with quotes, a backslash and a newline.
    static let awkwardWorkflow = "build \"quick\" C:\\ci\nlinux"

    static func statistics(_ samples: Int, _ base: Double) -> DurationStatistics {
        guard samples > 0 else { return .empty }
        return DurationStatistics(
            samples: samples, p50: base, p75: base * 1.5, p90: base * 2.25, p95: base * 3.125, mean: base * 1.1)
    }

    static func ci(_ workflow: String, runs: Int) -> CIWorkflowMetrics {
        CIWorkflowMetrics(
            workflow: workflow, duration: statistics(runs, 300.5),
            trackedBranchSuccess: Ratio(numerator: runs * 9 / 10, denominator: runs),
            otherBranchesSuccess: Ratio(numerator: runs / 3, denominator: runs / 2),
            recovery: statistics(runs / 10, 5_400))
    }

    /// A window with data everywhere (scaled by the window length).
    static func busyWindow(_ window: DoraWindow, days: Double, workflows: [String]) -> WindowMetrics {
        let deployments = Int(days)
        return WindowMetrics(
            window: window, start: asOf.addingTimeInterval(-days * 86_400), end: asOf, days: days,
            deployments: deployments, deploymentDays: max(1, deployments * 2 / 3),
            deploymentsPerDay: Double(deployments) / days, leadTime: statistics(deployments * 4, 86_400 * 0.75),
            skewedCommits: 2, untrackedDeployments: 1, changeFailure: Ratio(numerator: 1, denominator: deployments + 2),
            failedDeploymentAttempts: 2, incidents: 3, attributedIncidents: 2, unattributedIncidents: 1,
            timeToRestore: statistics(2, 3_600.25), failedDeploymentRecovery: statistics(3, 7_200),
            rework: Ratio(numerator: 1, denominator: deployments),
            levels: [.deploymentFrequency: .elite, .leadTime: .high, .changeFailureRate: .medium, .timeToRestore: .low],
            ci: workflows.map { ci($0, runs: deployments * 10) })
    }

    /// A window without any data: every statistic absent, ratios absent, no levels.
    static func emptyWindow(_ window: DoraWindow, days: Double, workflows: [String]) -> WindowMetrics {
        WindowMetrics(
            window: window, start: asOf.addingTimeInterval(-days * 86_400), end: asOf, days: days, deployments: 0,
            deploymentDays: 0, deploymentsPerDay: days > 0 ? 0 : nil, leadTime: .empty, skewedCommits: 0,
            untrackedDeployments: 0, changeFailure: Ratio(numerator: 0, denominator: 0), failedDeploymentAttempts: 0,
            incidents: 0, attributedIncidents: 0, unattributedIncidents: 0, timeToRestore: .empty,
            failedDeploymentRecovery: .empty, rework: Ratio(numerator: 0, denominator: 0), levels: [:],
            ci: workflows.map {
                CIWorkflowMetrics(
                    workflow: $0, duration: .empty, trackedBranchSuccess: Ratio(numerator: 0, denominator: 0),
                    otherBranchesSuccess: Ratio(numerator: 0, denominator: 0), recovery: .empty)
            })
    }

    static func busyReport(_ repository: String, workflows: [String] = ["ci", "deploy"]) -> RepositoryReport {
        RepositoryReport(
            repository: repository, asOf: asOf,
            definitions: DoraDefinitions(
                deploymentSource: .workflow(names: ["deploy"]), deploymentPattern: "^v[0-9]+",
                incidentRules: [["incident"], ["bug", "prod"]], ciWorkflows: workflows),
            openIncidents: 1, hasDeployments: true,
            windows: [
                busyWindow(.days(7), days: 7, workflows: workflows), busyWindow(.days(30), days: 30, workflows: workflows),
                busyWindow(.days(90), days: 90, workflows: workflows), busyWindow(.all, days: 400, workflows: workflows),
            ])
    }

    static func quietReport(_ repository: String, workflows: [String]) -> RepositoryReport {
        RepositoryReport(
            repository: repository, asOf: asOf, definitions: DoraDefinitions(ciWorkflows: workflows), openIncidents: 0,
            hasDeployments: false,
            windows: [emptyWindow(.days(7), days: 7, workflows: workflows), emptyWindow(.all, days: 0, workflows: workflows)])
    }

    static func syncHealth(_ repository: String) -> RepositorySyncHealth {
        RepositorySyncHealth(
            repository: repository, lastSuccess: asOf.addingTimeInterval(-120), lastAttempt: asOf.addingTimeInterval(-180.5),
            lastDuration: 60.5, runsByResult: ["success": 41, "failed": 2],
            itemsByEntity: ["commits": 1_200, "releases": 40, "workflow_runs": 3_000],
            requestsByStatus: ["200": 320, "304": 1_540, "502": 3, "error": 1],
            storeEntities: [
                "commits": 1_200, "tags": 40, "releases": 40, "issues": 90, "pull_requests": 300, "incidents": 5,
                "workflows": 2, "workflow_runs": 3_000, "deployments": 0,
            ])
    }

    static let realisticRepositories = ["acme/api", awkwardRepository]

    /// When the history is synced from (spec v1.2 "Coverage") in `shallow` reports: 60 days before `asOf`.
    static let coveredFrom = asOf.addingTimeInterval(-60 * 86_400)

    /// `report` while its history is still being deepened from `coveredFrom`: `all`, which reads the whole history,
    /// is incomplete (the engine's rule is tested in DoraTests; here only what is served matters).
    static func shallow(_ report: RepositoryReport) -> RepositoryReport {
        var report = report
        report.coverage = .partial(from: coveredFrom)
        report.windowResults = incompleteAll(report.windowResults, repositories: [report.repository])
        return report
    }

    static func incompleteAll(_ results: [WindowResult], repositories: [String]) -> [WindowResult] {
        results.map { result in
            guard result.window.length == nil else { return result }
            return .incomplete(
                IncompleteWindow(
                    window: result.window, start: result.start, end: result.end, coverage: .partial(from: coveredFrom),
                    reason: .wholeHistory, repositories: repositories))
        }
    }

    static func realisticSnapshot(
        repositories: [String] = realisticRepositories, neo4j: Bool = true, webhooks: Bool = true, alerts: Bool = true
    ) -> MetricsSnapshot {
        let reports = repositories.map { name in
            name == awkwardRepository ? shallow(quietReport(name, workflows: [awkwardWorkflow])) : busyReport(name)
        }
        // A group holding both repositories: its windows are those of the busy repository (the numbers'
        // derivation is the engine's business, tested in DoraTests; here only the families and labels matter),
        // but `all` is incomplete while a member's history is shallow.
        let shallowMembers = reports.filter { $0.coverage != .complete }.map(\.repository)
        let group = reports.first.map {
            GroupReport(
                group: "platform", repositories: repositories, asOf: asOf, openIncidents: 3, hasDeployments: true,
                coverage: shallowMembers.isEmpty ? .complete : .partial(from: coveredFrom),
                windowResults: shallowMembers.isEmpty ? $0.windowResults : incompleteAll($0.windowResults, repositories: shallowMembers))
        }
        return MetricsSnapshotBuilder.build(
            asOf: asOf, reports: reports, groups: group.map { [$0] } ?? [], syncHealth: repositories.map(syncHealth),
            rateLimits: [
                RateLimitReading(resource: "core", limit: 5_000, remaining: 4_321, reset: asOf.addingTimeInterval(1_800))
            ],
            projection: neo4j
                ? ProjectionHealth(
                    neo4jUp: true,
                    repositories: repositories.map {
                        ProjectionHealth.Repository(
                            repository: $0, lastSuccess: asOf.addingTimeInterval(-60), runsByResult: ["success": 12, "failed": 1],
                            lagItems: 17)
                    })
                : nil,
            budgets: [
                SyncBudgetReading(
                    credential: "acme@app-7", reserve: 250, planned: 4_100, spent: 4_379, waiting: 12,
                    coverage: ["complete": 1, "partial": 1], estimatedCompletion: 5_400)
            ],
            webhooks: webhooks ? webhookHealth(repositories) : nil,
            instance: InstanceInfo(shardOrdinal: 2, totalShards: 4, syncInterval: 3600),
            alerts: alerts ? alertHealth : nil,
            build: build)
    }

    /// The alert receiver after a day: notifications stored, a wrong token, one signal naming no configured repository.
    static let alertHealth = AlertHealth(
        notifications: ["stored": 40, "unauthorized": 2, "malformed": 0, "too_large": 0, "unsupported_version": 0, "no_labels": 1, "store_failed": 0],
        alertsReceived: 75, unmatched: ["unknown_repository": 1], open: 2, recordStart: Date(timeIntervalSince1970: 1_749_000_000))

    /// The receiver after a day: pushes accepted, one duplicate, forgeries refused, a few deliveries timed.
    static func webhookHealth(_ repositories: [String]) -> WebhookHealth {
        WebhookHealth(
            deliveries: [
                WebhookHealth.Delivery(event: "push", result: "accepted", count: 41),
                WebhookHealth.Delivery(event: "ping", result: "ping", count: 1),
                WebhookHealth.Delivery(event: "workflow_run", result: "duplicate", count: 2),
                WebhookHealth.Delivery(event: "push", result: "bad_signature", count: 3),
                WebhookHealth.Delivery(event: "push", result: "forwarded", count: 9),
            ],
            signatureFailures: ["mismatch": 3],
            acceptedByRepository: Dictionary(uniqueKeysWithValues: repositories.enumerated().map { ($0.element, $0.offset == 0 ? 41 : 0) }),
            queueDepth: 2,
            deliveryToSnapshot: HistogramValue(
                bounds: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, .infinity], cumulativeCounts: [0, 4, 20, 35, 40, 41, 41, 41, 41, 41],
                sum: 27.25, count: 41),
            forwarded: ["ok": 8, "queued": 2, "failed": 1])
    }
}
