import Foundation

/// CI health of one workflow named in `ciWorkflows`: its completed runs (latest attempt) before
/// `asOf`, and its recovery samples on the tracked branch.
struct CIHealth {
    struct Run {
        var time: Double
        var duration: Double?
        var tracked: Bool
        var conclusion: String?
    }

    let workflow: String
    /// Ordered by completion time.
    let runs: [Run]
    /// (time of the streak's first failed run, time to the next success), ordered by time.
    let recoveries: [(start: Double, duration: Double)]

    init(workflow: String, runs allRuns: [WorkflowRunRecord], trackedBranch: String, asOf: Double) {
        self.workflow = workflow
        let selected = WorkflowSelector.latestCompletedRuns(
            allRuns.filter { WorkflowSelector.matches($0, names: [workflow]) }, asOf: asOf)
        self.runs = selected.map { run in
            Run(
                time: run.updatedAt.timeIntervalSince1970,
                duration: run.runStartedAt.map { run.updatedAt.timeIntervalSince($0) },
                tracked: run.headBranch == trackedBranch, conclusion: run.conclusion)
        }
        var recoveries: [(start: Double, duration: Double)] = []
        var streakStart: Double? = nil
        for run in runs where run.tracked {
            switch run.conclusion {
            case "failure", "timed_out":
                if streakStart == nil { streakStart = run.time }
            case "success":
                if let start = streakStart {
                    recoveries.append((start, run.time - start))
                    streakStart = nil
                }
            default:
                continue
            }
        }
        self.recoveries = recoveries.sorted { $0.start < $1.start }
    }

    func metrics(from start: Double) -> CIWorkflowMetrics {
        var durations: [Double] = []
        var tracked = (success: 0, total: 0)
        var other = (success: 0, total: 0)
        for run in runs where run.time >= start {
            if let duration = run.duration { durations.append(duration) }
            let counted: Bool
            let succeeded: Bool
            switch run.conclusion {
            case "success": (counted, succeeded) = (true, true)
            case "failure", "timed_out": (counted, succeeded) = (true, false)
            default: (counted, succeeded) = (false, false)
            }
            guard counted else { continue }
            if run.tracked {
                tracked.total += 1
                if succeeded { tracked.success += 1 }
            } else {
                other.total += 1
                if succeeded { other.success += 1 }
            }
        }
        let recoverySamples = recoveries.filter { $0.start >= start }.map(\.duration)
        return CIWorkflowMetrics(
            workflow: workflow, duration: DurationStatistics(samples: durations, shape: .duration),
            trackedBranchSuccess: Ratio(numerator: tracked.success, denominator: tracked.total),
            otherBranchesSuccess: Ratio(numerator: other.success, denominator: other.total),
            recovery: DurationStatistics(samples: recoverySamples, shape: .restore))
    }
}
