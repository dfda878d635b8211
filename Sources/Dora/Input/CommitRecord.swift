import Foundation

/// A commit of the tracked branch as the store holds it.
public struct CommitRecord: Sendable, Hashable {
    public var sha: String
    public var parents: [String]
    public var authoredAt: Date
    public var committedAt: Date

    public init(sha: String, parents: [String], authoredAt: Date, committedAt: Date) {
        self.sha = sha
        self.parents = parents
        self.authoredAt = authoredAt
        self.committedAt = committedAt
    }
}
