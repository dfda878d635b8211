import Foundation

/// A GitHub release of a simulated repository.
public struct SimRelease: Sendable, Hashable, Codable {
    public var id: Int
    public var tagName: String
    public var name: String?
    public var draft: Bool
    public var prerelease: Bool
    /// GitHub's `created_at`: the date of the commit used for the release.
    public var createdAt: Date
    /// Nil for drafts.
    public var publishedAt: Date?
    /// Usually the branch name ("main"), not the release's commit.
    public var targetCommitish: String

    public init(
        id: Int, tagName: String, name: String? = nil, draft: Bool = false, prerelease: Bool = false,
        createdAt: Date, publishedAt: Date?, targetCommitish: String = "main"
    ) {
        self.id = id
        self.tagName = tagName
        self.name = name
        self.draft = draft
        self.prerelease = prerelease
        self.createdAt = createdAt
        self.publishedAt = publishedAt
        self.targetCommitish = targetCommitish
    }
}
