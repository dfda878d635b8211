import Foundation

/// A commit of a simulated repository.
public struct SimCommit: Sendable, Hashable, Codable {
    /// 40 hex digit object id.
    public var sha: String
    /// Parent shas; the first one is the first parent.
    public var parents: [String]
    public var message: String
    public var authorName: String
    public var authorEmail: String
    /// GitHub login of the author, nil when the email maps to no account (`author: null` in the API).
    public var authorLogin: String?
    public var authorDate: Date
    public var committerName: String
    public var committerEmail: String
    /// GitHub login of the committer, nil when the email maps to no account.
    public var committerLogin: String?
    public var committerDate: Date

    /// Creates a commit; the committer defaults to the author.
    public init(
        sha: String, parents: [String], message: String = "Change",
        authorName: String = "Simulated Author", authorEmail: String = "author@example.com",
        authorLogin: String? = nil, authorDate: Date,
        committerName: String? = nil, committerEmail: String? = nil, committerLogin: String?? = nil,
        committerDate: Date? = nil
    ) {
        self.sha = sha
        self.parents = parents
        self.message = message
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authorLogin = authorLogin
        self.authorDate = authorDate
        self.committerName = committerName ?? authorName
        self.committerEmail = committerEmail ?? authorEmail
        self.committerLogin = committerLogin ?? authorLogin
        self.committerDate = committerDate ?? authorDate
    }

    /// True when the commit has more than one parent.
    public var isMerge: Bool { parents.count > 1 }
}
