/// What a targeted sync may be limited to: the `sync…` steps of one repository's sync, by the entity they
/// bring in. A webhook names the entity that changed; the sync then runs only those steps, through the same
/// code and cursors as the full sync, so a hint never becomes data written as-is.
public enum SyncEntity: String, Sendable, Hashable, CaseIterable, Comparable {
    /// `GET /repos/{source}`: notices renames, transfers and deletions.
    case repository
    case commits
    /// Tags, and their tag objects when tags are the deployment source.
    case tags
    case releases
    case issues
    /// Workflows and their runs.
    case workflowRuns = "workflow_runs"
    /// Deployments and their statuses (synced only when deployments are the deployment source).
    case deployments

    public static func < (lhs: SyncEntity, rhs: SyncEntity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
