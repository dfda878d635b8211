import Foundation

/// Computes `WindowMetrics` for half-open windows `[start, asOf)` from a `DoraAnalysis`.
struct WindowCalculator {
    let analysis: DoraAnalysis
    let ci: [CIHealth]
    let coverage: CoverageCheck
    let repository: String
    let alertRecordStart: Date?

    init(analysis: DoraAnalysis, data: RepositoryData) throws(DoraError) {
        self.analysis = analysis
        self.ci = analysis.definitions.ciWorkflows.map {
            CIHealth(
                workflow: $0, runs: data.workflowRuns, trackedBranch: analysis.definitions.trackedBranch, asOf: analysis.asOf)
        }
        self.coverage = try CoverageCheck(analysis: analysis, data: data)
        self.repository = data.repository
        self.alertRecordStart = data.alertRecordStart
    }

    /// The window's numbers, or, when the synced history does not cover it, why there are none.
    func result(for window: DoraWindow) throws(DoraError) -> WindowResult {
        let start = try Self.start(of: window, asOf: analysis.asOf, firstDeployment: analysis.deploymentTimes.first)
        if let reason = incompleteness(of: window, start: start) {
            return .incomplete(
                IncompleteWindow(
                    window: window, start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: analysis.asOf),
                    coverage: coverage.coverage, reason: reason, repositories: [repository]))
        }
        return .complete(
            events(from: start).metrics(
                window: window, start: start, asOf: analysis.asOf, benchmark: analysis.definitions.benchmark,
                hasDeployments: analysis.hasDeployments))
    }

    /// Why the synced history does not cover `[start, asOf)`, or nil when it does (`CoverageCheck`).
    func incompleteness(of window: DoraWindow, start: Double) -> IncompleteWindow.Reason? {
        coverage.reason(window: window, start: start, analysis: analysis, ci: ci)
            ?? AlertCoverage.reason(start: start, analysis: analysis, recordStart: alertRecordStart)
    }

    /// Where `window` starts: `asOf - length`, or for `all` the first deployment (`asOf` when there is none).
    static func start(of window: DoraWindow, asOf: Double, firstDeployment: Double?) throws(DoraError) -> Double {
        guard let length = window.length else { return firstDeployment ?? asOf }
        guard length > 0, length.isFinite else {
            throw DoraError(kind: .invalidWindow, "window \"\(window.name)\" has length \(length) s: use a positive length")
        }
        return asOf - length
    }

    /// The repository's events in `[start, asOf)`.
    func events(from start: Double) -> WindowEvents {
        let a = analysis
        var events = WindowEvents()

        // Deployments and lead time.
        let first = DoraAnalysis.partition(a.deploymentTimes) { $0 < start }
        let range = first..<a.deployments.count
        events.deploymentTimes = Array(a.deploymentTimes[range])
        events.leadTimeSamples = Array(a.samples[a.sampleStart[first]..<a.sampleStart[a.deployments.count]])
        for d in range {
            events.skewedCommits += Int(a.skewed[d])
            if a.commitIndex[d] < 0 { events.untrackedDeployments += 1 }
            if a.hasAttributedIncident[d] { events.attributedDeployments += 1 }
            if a.isRework[d] { events.reworkDeployments += 1 }
        }

        // Change failure rate and recovery.
        let firstFailed = DoraAnalysis.partition(a.failedTimes) { $0 < start }
        events.failedAttempts = a.failedTimes.count - firstFailed
        for incident in a.incidents {
            if incident.opened >= start {
                events.incidents += 1
                if incident.attributedTo != nil { events.attributedIncidents += 1 }
            }
            if let closed = incident.closed, closed >= start {
                events.restoreSamples.append(closed - incident.opened)
                if let d = incident.attributedTo { events.recoverySamples.append(closed - a.deploymentTimes[d]) }
            }
        }
        for f in firstFailed..<a.failedTimes.count {
            let time = a.failedTimes[f]
            let next = DoraAnalysis.partition(a.deploymentTimes) { $0 <= time }
            if next < a.deploymentTimes.count { events.recoverySamples.append(a.deploymentTimes[next] - time) }
        }
        events.ci = ci.map { $0.events(from: start) }
        return events
    }
}
