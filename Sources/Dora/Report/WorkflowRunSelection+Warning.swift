extension WorkflowRunSelection {
    /// The `check-config` warning when the deploying workflows have completed runs but none of them count; nil
    /// otherwise. Names the likely cause from the head branches of the runs that do not count.
    public func warning(repository: String, trackedBranch: String, workflows: [String]) -> String? {
        guard completedRuns > 0, countedRuns == 0 else { return nil }
        let names = workflows.map { "'\($0)'" }.joined(separator: ", ")
        let shown = excluded.prefix(3).map { branch in
            let name = branch.headBranch.map { "'\($0)'" } ?? "(none)"
            return "\(name) (\(branch.runs) run\(branch.runs == 1 ? "" : "s"))"
        }.joined(separator: ", ")
        let more = excluded.count > 3 ? " and \(excluded.count - 3) more" : ""
        var cause: String
        if excluded.contains(where: { $0.reason == .tagNotOnTrackedBranch }) {
            cause =
                "some head_branch values are tags whose commit is not on the tracked branch '\(trackedBranch)' "
                + "(tagged on another branch, or older than the synced history: check `since`)"
        } else {
            cause =
                "their head_branch is neither the tracked branch '\(trackedBranch)' nor a tag on it "
                + "(runs on feature branches, a different default branch: check `branch`; or tags not synced yet: run `sync`)"
        }
        if excluded.contains(where: { $0.reason == .tagNotOnTrackedBranch })
            && excluded.contains(where: { $0.reason == .neitherTrackedBranchNorTag })
        {
            cause += "; others are neither the tracked branch nor a tag"
        }
        return "warning: \(repository): the deploying workflow \(names) has \(completedRuns) completed "
            + "run\(completedRuns == 1 ? "" : "s") in the store, but none counts as a deployment: \(cause). "
            + "head_branch seen: \(shown)\(more)."
    }
}
