/// An item of `GET /repos/{o}/{r}/actions/workflows`.
public struct GitHubWorkflow: Decodable, Sendable, Hashable {
    /// Workflow id.
    public var id: Int64
    /// Display name.
    public var name: String
    /// File path (`.github/workflows/ci.yml`).
    public var path: String
    /// `active`, `deleted`, `disabled_fork`, `disabled_inactivity`, `disabled_manually`.
    public var state: String

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case path
        case state
    }

    /// Creates a workflow.
    public init(id: Int64, name: String, path: String, state: String) {
        self.id = id
        self.name = name
        self.path = path
        self.state = state
    }
}
