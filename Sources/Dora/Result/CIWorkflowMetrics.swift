/// CI health of one workflow named in `ciWorkflows`, for one window.
public struct CIWorkflowMetrics: Sendable, Hashable {
    public var workflow: String
    /// `updated_at - run_started_at` of completed runs (latest attempt), all branches: p50, p95.
    public var duration: DurationStatistics
    /// success / (success + failure + timed_out) on the tracked branch.
    public var trackedBranchSuccess: Ratio
    /// The same on every other branch.
    public var otherBranchesSuccess: Ratio
    /// One sample per failure streak on the tracked branch: p50, p90, mean.
    public var recovery: DurationStatistics

    public init(workflow: String, duration: DurationStatistics, trackedBranchSuccess: Ratio, otherBranchesSuccess: Ratio, recovery: DurationStatistics) {
        self.workflow = workflow
        self.duration = duration
        self.trackedBranchSuccess = trackedBranchSuccess
        self.otherBranchesSuccess = otherBranchesSuccess
        self.recovery = recovery
    }
}
