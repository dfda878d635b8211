import Foundation

/// A commit of a repository's tracked branch, as stored. `seq` and `deleted` are set by the store.
public struct StoredCommit: Sendable, Hashable, Codable {
    public var repository: String
    public var sha: String
    /// Parent shas in order (first parent first).
    public var parents: [String]
    public var authorName: String
    public var authorEmail: String
    public var authorLogin: String?
    public var committerName: String
    public var committerEmail: String
    public var committerLogin: String?
    public var authoredAt: Date
    public var committedAt: Date
    /// First line of the commit message.
    public var message: String
    /// Store-wide change counter of this row's latest content change.
    public var seq: Int64
    /// Soft delete: no longer reachable from the branch head (after a force-push).
    public var deleted: Bool

    public init(
        repository: String, sha: String, parents: [String], authorName: String = "", authorEmail: String = "",
        authorLogin: String? = nil, committerName: String = "", committerEmail: String = "",
        committerLogin: String? = nil, authoredAt: Date, committedAt: Date, message: String = "",
        seq: Int64 = 0, deleted: Bool = false
    ) {
        self.repository = repository
        self.sha = sha
        self.parents = parents
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authorLogin = authorLogin
        self.committerName = committerName
        self.committerEmail = committerEmail
        self.committerLogin = committerLogin
        self.authoredAt = authoredAt
        self.committedAt = committedAt
        self.message = message
        self.seq = seq
        self.deleted = deleted
    }
}
