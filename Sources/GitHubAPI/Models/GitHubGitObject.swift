/// The object a git ref or annotated tag points to.
public struct GitHubGitObject: Decodable, Sendable, Hashable {
    /// `commit`, `tag`, `tree` or `blob`.
    public var type: String
    /// The object SHA.
    public var sha: String

    enum CodingKeys: String, CodingKey {
        case type
        case sha
    }

    /// Creates an object reference.
    public init(type: String, sha: String) {
        self.type = type
        self.sha = sha
    }
}
