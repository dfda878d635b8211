/// Selects workflow runs by workflow name or file path (`deploy.yml` also matches
/// `.github/workflows/deploy.yml`), keeping only completed runs known before `asOf`, one per run id
/// (its latest attempt).
enum WorkflowSelector {
    static func matches(_ run: WorkflowRunRecord, names: [String]) -> Bool {
        for name in names {
            if run.workflowName == name || run.workflowPath == name { return true }
            if !name.contains("/"), run.workflowPath.hasSuffix("/" + name) { return true }
        }
        return false
    }

    /// The latest attempt of each run among records updated before `asOf` (ties: later `updatedAt`),
    /// when that attempt is completed; ordered by (`updatedAt`, id).
    static func latestCompletedRuns(_ runs: [WorkflowRunRecord], asOf: Double) -> [WorkflowRunRecord] {
        var latest: [Int64: WorkflowRunRecord] = [:]
        for run in runs where run.updatedAt.timeIntervalSince1970 < asOf {
            if let existing = latest[run.id] {
                if run.runAttempt > existing.runAttempt
                    || (run.runAttempt == existing.runAttempt && run.updatedAt > existing.updatedAt)
                {
                    latest[run.id] = run
                }
            } else {
                latest[run.id] = run
            }
        }
        return latest.values.filter { $0.status == "completed" }.sorted {
            ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id)
        }
    }
}
