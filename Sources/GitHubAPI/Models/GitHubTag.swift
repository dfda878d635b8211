/// An item of `GET /repos/{o}/{r}/tags`; `commit.sha` is already peeled to the commit.
public struct GitHubTag: Decodable, Sendable, Hashable {
    /// Tag name (`v1.2.3`).
    public var name: String
    /// The commit the tag ultimately points to.
    public var commit: GitHubCommitReference

    enum CodingKeys: String, CodingKey {
        case name
        case commit
    }

    /// Creates a tag.
    public init(name: String, commit: GitHubCommitReference) {
        self.name = name
        self.commit = commit
    }
}
