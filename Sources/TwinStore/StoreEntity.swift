/// The kinds of rows the store keeps per repository; the raw value is the table name (and the `entity` label).
public enum StoreEntity: String, Sendable, Hashable, Codable, CaseIterable {
    case commits
    case tags
    case releases
    case issues
    case workflows
    case workflowRuns = "workflow_runs"
    case deployments

    /// The column holding the natural key inside a repository.
    var keyColumn: String {
        switch self {
        case .commits: "sha"
        case .tags: "name"
        case .issues: "number"
        case .releases, .workflows, .workflowRuns, .deployments: "id"
        }
    }
}
