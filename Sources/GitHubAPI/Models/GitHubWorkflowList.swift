/// `GET /repos/{o}/{r}/actions/workflows`: `{total_count, workflows}`.
public struct GitHubWorkflowList: Decodable, Sendable, Hashable {
    /// Number of workflows over all pages.
    public var totalCount: Int
    /// This page's workflows.
    public var workflows: [GitHubWorkflow]

    enum CodingKeys: String, CodingKey {
        case totalCount = "total_count"
        case workflows
    }

    /// Creates a list.
    public init(totalCount: Int, workflows: [GitHubWorkflow]) {
        self.totalCount = totalCount
        self.workflows = workflows
    }
}
