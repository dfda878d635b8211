import Foundation

/// Git identity with a timestamp (commit author/committer, tagger).
public struct GitHubGitActor: Decodable, Sendable, Hashable {
    /// Name as recorded in git.
    public var name: String
    /// E-mail as recorded in git.
    public var email: String
    /// When the commit/tag was authored or committed.
    public var date: Date

    enum CodingKeys: String, CodingKey {
        case name
        case email
        case date
    }

    /// Creates an actor.
    public init(name: String, email: String, date: Date) {
        self.name = name
        self.email = email
        self.date = date
    }
}
