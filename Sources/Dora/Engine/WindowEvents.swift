import Foundation

/// The events one window reads, before any statistic is taken: what `WindowCalculator` finalises into
/// `WindowMetrics`. Events of several repositories merge by union (samples) and sum (counts), which is how
/// a group's numbers are defined (`docs/dora.md`, "Groups"): never from the members' statistics.
struct WindowEvents {
    /// Times of the successful deployments in the window.
    var deploymentTimes: [Double] = []
    var leadTimeSamples: [Double] = []
    var skewedCommits = 0
    var untrackedDeployments = 0
    /// Deployments in the window with at least one attributed incident.
    var attributedDeployments = 0
    var reworkDeployments = 0
    var failedAttempts = 0
    /// Incidents opened in the window.
    var incidents = 0
    var attributedIncidents = 0
    var restoreSamples: [Double] = []
    var recoverySamples: [Double] = []
    /// Per workflow name, in the order the workflows were first named.
    var ci: [CIEvents] = []

    /// The runs of one CI workflow in the window.
    struct CIEvents {
        var workflow: String
        var durations: [Double] = []
        var trackedSuccess = 0
        var trackedTotal = 0
        var otherSuccess = 0
        var otherTotal = 0
        var recoverySamples: [Double] = []

        mutating func merge(_ other: CIEvents) {
            durations += other.durations
            trackedSuccess += other.trackedSuccess
            trackedTotal += other.trackedTotal
            otherSuccess += other.otherSuccess
            otherTotal += other.otherTotal
            recoverySamples += other.recoverySamples
        }

        var metrics: CIWorkflowMetrics {
            CIWorkflowMetrics(
                workflow: workflow, duration: DurationStatistics(samples: durations, shape: .duration),
                trackedBranchSuccess: Ratio(numerator: trackedSuccess, denominator: trackedTotal),
                otherBranchesSuccess: Ratio(numerator: otherSuccess, denominator: otherTotal),
                recovery: DurationStatistics(samples: recoverySamples, shape: .restore))
        }
    }

    /// Adds another repository's events of the same window.
    mutating func merge(_ other: WindowEvents) {
        deploymentTimes += other.deploymentTimes
        leadTimeSamples += other.leadTimeSamples
        skewedCommits += other.skewedCommits
        untrackedDeployments += other.untrackedDeployments
        attributedDeployments += other.attributedDeployments
        reworkDeployments += other.reworkDeployments
        failedAttempts += other.failedAttempts
        incidents += other.incidents
        attributedIncidents += other.attributedIncidents
        restoreSamples += other.restoreSamples
        recoverySamples += other.recoverySamples
        for workflow in other.ci {
            if let index = ci.firstIndex(where: { $0.workflow == workflow.workflow }) {
                ci[index].merge(workflow)
            } else {
                ci.append(workflow)
            }
        }
    }

    /// The window's numbers: statistics over the samples, ratios over the counts, levels from those.
    /// - Parameter hasDeployments: whether any deployment exists before `asOf` (grades deployment frequency).
    func metrics(window: DoraWindow, start: Double, asOf: Double, benchmark: DoraDefinitions.Benchmark, hasDeployments: Bool) -> WindowMetrics {
        let days = (asOf - start) / 86_400
        let deployments = deploymentTimes.count
        let deploymentDays = Set(deploymentTimes.map { ($0 / 86_400).rounded(.down) }).count
        let leadTime = DurationStatistics(samples: leadTimeSamples, shape: .leadTime)
        let changeFailure = Ratio(numerator: attributedDeployments + failedAttempts, denominator: deployments + failedAttempts)
        let timeToRestore = DurationStatistics(samples: restoreSamples, shape: .restore)

        var levels: [GradedMetric: PerformanceLevel] = [:]
        if hasDeployments, let level = LevelTable.deploymentFrequency(deployments: deployments, days: days, benchmark: benchmark) {
            levels[.deploymentFrequency] = level
        }
        if let p50 = leadTime.p50 { levels[.leadTime] = LevelTable.leadTime(p50: p50, benchmark: benchmark) }
        if let level = LevelTable.changeFailureRate(changeFailure, benchmark: benchmark) { levels[.changeFailureRate] = level }
        if let p50 = timeToRestore.p50 { levels[.timeToRestore] = LevelTable.timeToRestore(p50: p50, benchmark: benchmark) }

        return WindowMetrics(
            window: window, start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: asOf),
            days: days, deployments: deployments, deploymentDays: deploymentDays,
            deploymentsPerDay: days > 0 ? Double(deployments) / days : nil, leadTime: leadTime,
            skewedCommits: skewedCommits, untrackedDeployments: untrackedDeployments, changeFailure: changeFailure,
            failedDeploymentAttempts: failedAttempts, incidents: incidents, attributedIncidents: attributedIncidents,
            unattributedIncidents: incidents - attributedIncidents, timeToRestore: timeToRestore,
            failedDeploymentRecovery: DurationStatistics(samples: recoverySamples, shape: .restore),
            rework: Ratio(numerator: reworkDeployments, denominator: deployments), levels: levels,
            ci: ci.map(\.metrics))
    }
}
