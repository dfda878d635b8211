import Foundation

/// Every DORA number of `docs/dora.md` for one repository and one window.
public struct WindowMetrics: Sendable, Hashable {
    public var window: DoraWindow
    /// Half-open `[start, end)`; `end` is `asOf`. For `all` with no deployment, start == end.
    public var start: Date
    public var end: Date
    /// Window length in days (`days(W)`).
    public var days: Double

    // Deployment frequency
    public var deployments: Int
    public var deploymentDays: Int
    /// deployments / days; nil when days == 0.
    public var deploymentsPerDay: Double?

    // Lead time for changes (p50, p75, p90, mean)
    public var leadTime: DurationStatistics
    public var skewedCommits: Int
    public var untrackedDeployments: Int

    // Change failure rate
    /// (deployments with >= 1 attributed incident + failed attempts) / (deployments + failed attempts).
    public var changeFailure: Ratio
    public var failedDeploymentAttempts: Int
    public var incidents: Int
    public var attributedIncidents: Int
    public var unattributedIncidents: Int

    // Time to restore (p50, p90, mean) and failed deployment recovery (p50, p90, mean)
    public var timeToRestore: DurationStatistics
    public var failedDeploymentRecovery: DurationStatistics

    // Rework: rework deployments / deployments
    public var rework: Ratio

    /// Grades; a metric without data has no entry.
    public var levels: [GradedMetric: PerformanceLevel]

    /// CI health per workflow in `ciWorkflows` (in that order).
    public var ci: [CIWorkflowMetrics]

    public init(
        window: DoraWindow, start: Date, end: Date, days: Double, deployments: Int, deploymentDays: Int,
        deploymentsPerDay: Double?, leadTime: DurationStatistics, skewedCommits: Int, untrackedDeployments: Int,
        changeFailure: Ratio, failedDeploymentAttempts: Int, incidents: Int, attributedIncidents: Int,
        unattributedIncidents: Int, timeToRestore: DurationStatistics, failedDeploymentRecovery: DurationStatistics,
        rework: Ratio, levels: [GradedMetric: PerformanceLevel], ci: [CIWorkflowMetrics]
    ) {
        self.window = window
        self.start = start
        self.end = end
        self.days = days
        self.deployments = deployments
        self.deploymentDays = deploymentDays
        self.deploymentsPerDay = deploymentsPerDay
        self.leadTime = leadTime
        self.skewedCommits = skewedCommits
        self.untrackedDeployments = untrackedDeployments
        self.changeFailure = changeFailure
        self.failedDeploymentAttempts = failedDeploymentAttempts
        self.incidents = incidents
        self.attributedIncidents = attributedIncidents
        self.unattributedIncidents = unattributedIncidents
        self.timeToRestore = timeToRestore
        self.failedDeploymentRecovery = failedDeploymentRecovery
        self.rework = rework
        self.levels = levels
        self.ci = ci
    }
}
