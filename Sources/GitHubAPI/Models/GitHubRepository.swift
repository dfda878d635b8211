/// `GET /repos/{owner}/{repo}` (the fields the twin uses).
public struct GitHubRepository: Decodable, Sendable, Hashable {
    /// Repository id (stable across renames).
    public var id: Int64
    /// `owner/name`.
    public var fullName: String
    /// The default branch (`main`).
    public var defaultBranch: String

    enum CodingKeys: String, CodingKey {
        case id
        case fullName = "full_name"
        case defaultBranch = "default_branch"
    }

    /// Creates a repository.
    public init(id: Int64, fullName: String, defaultBranch: String) {
        self.id = id
        self.fullName = fullName
        self.defaultBranch = defaultBranch
    }
}
