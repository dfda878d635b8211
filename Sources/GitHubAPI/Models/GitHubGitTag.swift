/// `GET /repos/{o}/{r}/git/tags/{sha}`: an annotated tag object.
public struct GitHubGitTag: Decodable, Sendable, Hashable {
    /// SHA of the tag object.
    public var sha: String
    /// Tag name.
    public var tag: String
    /// Who tagged and when.
    public var tagger: GitHubGitActor?
    /// What the tag points to (a commit, or another tag object).
    public var object: GitHubGitObject

    enum CodingKeys: String, CodingKey {
        case sha
        case tag
        case tagger
        case object
    }

    /// Creates a tag object.
    public init(sha: String, tag: String, tagger: GitHubGitActor?, object: GitHubGitObject) {
        self.sha = sha
        self.tag = tag
        self.tagger = tagger
        self.object = object
    }
}
