/// An item of `GET /repos/{o}/{r}/commits`.
public struct GitHubCommit: Decodable, Sendable, Hashable {
    /// The git part of a commit.
    public struct Detail: Decodable, Sendable, Hashable {
        /// Git author (name, e-mail, author date).
        public var author: GitHubGitActor
        /// Git committer (name, e-mail, commit date).
        public var committer: GitHubGitActor
        /// Full commit message.
        public var message: String

        enum CodingKeys: String, CodingKey {
            case author
            case committer
            case message
        }

        /// Creates the git part.
        public init(author: GitHubGitActor, committer: GitHubGitActor, message: String) {
            self.author = author
            self.committer = committer
            self.message = message
        }
    }

    /// Commit SHA.
    public var sha: String
    /// Parent commits (two or more for merges).
    public var parents: [GitHubCommitReference]
    /// The git commit data.
    public var commit: Detail
    /// GitHub account of the author; `nil` when the e-mail maps to no account.
    public var author: GitHubUser?
    /// GitHub account of the committer; `nil` when the e-mail maps to no account.
    public var committer: GitHubUser?

    enum CodingKeys: String, CodingKey {
        case sha
        case parents
        case commit
        case author
        case committer
    }

    /// Creates a commit.
    public init(sha: String, parents: [GitHubCommitReference], commit: Detail, author: GitHubUser? = nil, committer: GitHubUser? = nil) {
        self.sha = sha
        self.parents = parents
        self.commit = commit
        self.author = author
        self.committer = committer
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sha = try container.decode(String.self, forKey: .sha)
        parents = try container.decode([GitHubCommitReference].self, forKey: .parents)
        commit = try container.decode(Detail.self, forKey: .commit)
        // GitHub sends `{}` instead of null for some unknown users; treat an undecodable user as absent
        // only when it is an empty object, otherwise report the malformed field.
        author = try Self.decodeUser(container, .author)
        committer = try Self.decodeUser(container, .committer)
    }

    private static func decodeUser(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> GitHubUser? {
        if let empty = try? container.decodeIfPresent(EmptyObject.self, forKey: key), empty.isEmpty { return nil }
        return try container.decodeIfPresent(GitHubUser.self, forKey: key)
    }
}

/// Decodes only `{}`.
private struct EmptyObject: Decodable {
    let isEmpty: Bool

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        isEmpty = try decoder.container(keyedBy: AnyKey.self).allKeys.isEmpty
    }
}
