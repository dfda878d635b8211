import Foundation

/// A GitHub release, as stored. `commitSha` is its tag's peeled commit (never `target_commitish`).
public struct StoredRelease: Sendable, Hashable, Codable {
    public var repository: String
    public var id: Int64
    public var tagName: String
    public var name: String?
    public var draft: Bool
    public var prerelease: Bool
    public var createdAt: Date
    public var publishedAt: Date?
    /// As GitHub reports it; kept for reference only, never used as the release's commit.
    public var targetCommitish: String
    /// The tag's peeled commit; nil when the tag could not be resolved.
    public var commitSha: String?
    public var seq: Int64
    /// Soft delete: missing from the latest complete releases listing.
    public var deleted: Bool

    public init(
        repository: String, id: Int64, tagName: String, name: String? = nil, draft: Bool = false,
        prerelease: Bool = false, createdAt: Date, publishedAt: Date?, targetCommitish: String = "",
        commitSha: String?, seq: Int64 = 0, deleted: Bool = false
    ) {
        self.repository = repository
        self.id = id
        self.tagName = tagName
        self.name = name
        self.draft = draft
        self.prerelease = prerelease
        self.createdAt = createdAt
        self.publishedAt = publishedAt
        self.targetCommitish = targetCommitish
        self.commitSha = commitSha
        self.seq = seq
        self.deleted = deleted
    }
}
