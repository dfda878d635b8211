/// `GET /repos/{o}/{r}/actions/runs`: `{total_count, workflow_runs}`.
public struct GitHubWorkflowRunList: Decodable, Sendable, Hashable {
    /// Number of runs over all pages (capped at 1,000 results for filtered queries).
    public var totalCount: Int
    /// This page's runs.
    public var workflowRuns: [GitHubWorkflowRun]

    enum CodingKeys: String, CodingKey {
        case totalCount = "total_count"
        case workflowRuns = "workflow_runs"
    }

    /// Creates a list.
    public init(totalCount: Int, workflowRuns: [GitHubWorkflowRun]) {
        self.totalCount = totalCount
        self.workflowRuns = workflowRuns
    }
}
