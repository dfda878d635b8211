import Foundation

/// Computes `WindowMetrics` for half-open windows `[start, asOf)` from a `DoraAnalysis`.
struct WindowCalculator {
    let analysis: DoraAnalysis
    let ci: [CIHealth]

    init(analysis: DoraAnalysis, workflowRuns: [WorkflowRunRecord]) {
        self.analysis = analysis
        self.ci = analysis.definitions.ciWorkflows.map {
            CIHealth(
                workflow: $0, runs: workflowRuns, trackedBranch: analysis.definitions.trackedBranch, asOf: analysis.asOf)
        }
    }

    func metrics(for window: DoraWindow) throws(DoraError) -> WindowMetrics {
        let a = analysis
        let asOf = a.asOf
        let start: Double
        if let length = window.length {
            guard length > 0, length.isFinite else {
                throw DoraError(
                    kind: .invalidWindow, "window \"\(window.name)\" has length \(length) s: use a positive length")
            }
            start = asOf - length
        } else {
            start = a.deploymentTimes.first ?? asOf
        }
        let days = (asOf - start) / 86_400
        let benchmark = a.definitions.benchmark

        // Deployment frequency.
        let first = DoraAnalysis.partition(a.deploymentTimes) { $0 < start }
        let range = first..<a.deployments.count
        let deployments = range.count
        var deploymentDays = 0
        var lastDay: Double? = nil
        for d in range {
            let day = (a.deploymentTimes[d] / 86_400).rounded(.down)
            if day != lastDay {
                deploymentDays += 1
                lastDay = day
            }
        }

        // Lead time.
        let leadSamples = Array(a.samples[a.sampleStart[first]..<a.sampleStart[a.deployments.count]])
        let leadTime = DurationStatistics(samples: leadSamples, shape: .leadTime)
        var skewed = 0
        var untracked = 0
        var attributedDeployments = 0
        var rework = 0
        for d in range {
            skewed += Int(a.skewed[d])
            if a.commitIndex[d] < 0 { untracked += 1 }
            if a.hasAttributedIncident[d] { attributedDeployments += 1 }
            if a.isRework[d] { rework += 1 }
        }

        // Change failure rate and recovery.
        let firstFailed = DoraAnalysis.partition(a.failedTimes) { $0 < start }
        let failedAttempts = a.failedTimes.count - firstFailed
        var incidents = 0
        var attributed = 0
        var restore: [Double] = []
        var recovery: [Double] = []
        for incident in a.incidents {
            if incident.opened >= start {
                incidents += 1
                if incident.attributedTo != nil { attributed += 1 }
            }
            if let closed = incident.closed, closed >= start {
                restore.append(closed - incident.opened)
                if let d = incident.attributedTo { recovery.append(closed - a.deploymentTimes[d]) }
            }
        }
        for f in firstFailed..<a.failedTimes.count {
            let time = a.failedTimes[f]
            let next = DoraAnalysis.partition(a.deploymentTimes) { $0 <= time }
            if next < a.deploymentTimes.count { recovery.append(a.deploymentTimes[next] - time) }
        }
        let changeFailure = Ratio(
            numerator: attributedDeployments + failedAttempts, denominator: deployments + failedAttempts)
        let timeToRestore = DurationStatistics(samples: restore, shape: .restore)

        // Levels.
        var levels: [GradedMetric: PerformanceLevel] = [:]
        if a.hasDeployments,
            let level = LevelTable.deploymentFrequency(deployments: deployments, days: days, benchmark: benchmark)
        {
            levels[.deploymentFrequency] = level
        }
        if let p50 = leadTime.p50 { levels[.leadTime] = LevelTable.leadTime(p50: p50, benchmark: benchmark) }
        if let level = LevelTable.changeFailureRate(changeFailure, benchmark: benchmark) {
            levels[.changeFailureRate] = level
        }
        if let p50 = timeToRestore.p50 {
            levels[.timeToRestore] = LevelTable.timeToRestore(p50: p50, benchmark: benchmark)
        }

        return WindowMetrics(
            window: window, start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: asOf),
            days: days, deployments: deployments, deploymentDays: deploymentDays,
            deploymentsPerDay: days > 0 ? Double(deployments) / days : nil, leadTime: leadTime,
            skewedCommits: skewed, untrackedDeployments: untracked, changeFailure: changeFailure,
            failedDeploymentAttempts: failedAttempts, incidents: incidents, attributedIncidents: attributed,
            unattributedIncidents: incidents - attributed, timeToRestore: timeToRestore,
            failedDeploymentRecovery: DurationStatistics(samples: recovery, shape: .restore),
            rework: Ratio(numerator: rework, denominator: deployments), levels: levels,
            ci: ci.map { $0.metrics(from: start) })
    }
}
