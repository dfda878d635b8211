/// `GET /repos/{o}/{r}/git/ref/{ref}` and items of `git/matching-refs`.
public struct GitHubGitRef: Decodable, Sendable, Hashable {
    /// Full ref name (`refs/tags/v1.0`).
    public var ref: String
    /// What the ref points to: a commit (lightweight tag) or a tag object (annotated tag).
    public var object: GitHubGitObject

    enum CodingKeys: String, CodingKey {
        case ref
        case object
    }

    /// Creates a ref.
    public init(ref: String, object: GitHubGitObject) {
        self.ref = ref
        self.object = object
    }
}
