/// A `{sha}` reference (commit parents, the commit of a tag).
public struct GitHubCommitReference: Decodable, Sendable, Hashable {
    /// The commit SHA.
    public var sha: String

    enum CodingKeys: String, CodingKey {
        case sha
    }

    /// Creates a reference.
    public init(sha: String) {
        self.sha = sha
    }
}
