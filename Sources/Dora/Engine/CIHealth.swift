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
    /// (time of the streak's first failed run, time to the next success, time of the tracked run before the
    /// streak or nil when there is none in the data), ordered by time. `previous` tells whether the streak's start
    /// is known when the history is partial (`CoverageCheck`).
    let recoveries: [(start: Double, duration: Double, previous: Double?)]

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
        var recoveries: [(start: Double, duration: Double, previous: Double?)] = []
        var streakStart: (time: Double, previous: Double?)? = nil
        var previous: Double? = nil
        for run in runs where run.tracked {
            switch run.conclusion {
            case "failure", "timed_out":
                if streakStart == nil { streakStart = (run.time, previous) }
            case "success":
                if let start = streakStart {
                    recoveries.append((start.time, run.time - start.time, start.previous))
                    streakStart = nil
                }
            default:
                continue
            }
            previous = run.time
        }
        self.recoveries = recoveries.sorted { $0.start < $1.start }
    }

    /// The runs completed at or after `start` (and before `asOf`), and the recoveries whose streak began then.
    func events(from start: Double) -> WindowEvents.CIEvents {
        var events = WindowEvents.CIEvents(workflow: workflow)
        for run in runs where run.time >= start {
            if let duration = run.duration { events.durations.append(duration) }
            let succeeded: Bool
            switch run.conclusion {
            case "success": succeeded = true
            case "failure", "timed_out": succeeded = false
            default: continue
            }
            if run.tracked {
                events.trackedTotal += 1
                if succeeded { events.trackedSuccess += 1 }
            } else {
                events.otherTotal += 1
                if succeeded { events.otherSuccess += 1 }
            }
        }
        events.recoverySamples = recoveries.filter { $0.start >= start }.map(\.duration)
        return events
    }
}
