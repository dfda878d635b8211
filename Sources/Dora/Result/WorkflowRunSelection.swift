/// How the `workflow` deployment source's run selection treated the runs of the deploying workflows at
/// `asOf`: what `check-config` explains when a configured workflow has runs but none of them count.
public struct WorkflowRunSelection: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        /// `head_branch` names a tag of the repository whose commit is not in the tracked branch's synced graph.
        case tagNotOnTrackedBranch
        /// `head_branch` is neither the tracked branch nor a synced tag (a feature branch, a tag not synced, none).
        case neitherTrackedBranchNorTag
    }

    /// Runs that do not count, grouped by `head_branch` (nil: the run has none).
    public struct ExcludedBranch: Sendable, Hashable {
        public var headBranch: String?
        public var runs: Int
        public var reason: Reason

        public init(headBranch: String?, runs: Int, reason: Reason) {
            self.headBranch = headBranch
            self.runs = runs
            self.reason = reason
        }
    }

    /// Completed runs (latest attempt, before `asOf`) of the deploying workflows.
    public var completedRuns: Int
    /// Those the selection counts: on the tracked branch, or on a tag of its graph.
    public var countedRuns: Int
    /// The others, most runs first (then by branch name).
    public var excluded: [ExcludedBranch]

    public init(completedRuns: Int, countedRuns: Int, excluded: [ExcludedBranch]) {
        self.completedRuns = completedRuns
        self.countedRuns = countedRuns
        self.excluded = excluded
    }
}
