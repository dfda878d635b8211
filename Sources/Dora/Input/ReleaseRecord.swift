import Foundation

/// A GitHub release. `commitSha` is the commit its tag points to, peeled through
/// annotated tags (never `target_commitish`); nil when the tag could not be resolved.
public struct ReleaseRecord: Sendable, Hashable {
    public var id: Int64
    public var tagName: String
    public var name: String?
    public var draft: Bool
    public var prerelease: Bool
    public var publishedAt: Date?
    public var commitSha: String?

    public init(
        id: Int64, tagName: String, name: String? = nil, draft: Bool = false, prerelease: Bool = false,
        publishedAt: Date?, commitSha: String?
    ) {
        self.id = id
        self.tagName = tagName
        self.name = name
        self.draft = draft
        self.prerelease = prerelease
        self.publishedAt = publishedAt
        self.commitSha = commitSha
    }
}
