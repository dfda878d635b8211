import Foundation

/// An item of `GET /repos/{o}/{r}/releases`. `targetCommitish` is not the release commit (resolve the tag).
public struct GitHubRelease: Decodable, Sendable, Hashable {
    /// Release id.
    public var id: Int64
    /// The git tag of the release.
    public var tagName: String
    /// Branch or SHA the tag would have been created from.
    public var targetCommitish: String
    /// Release title.
    public var name: String?
    /// Draft (no git tag yet).
    public var draft: Bool
    /// Marked as pre-release.
    public var prerelease: Bool
    /// Creation time (the date of the commit used for the release).
    public var createdAt: Date
    /// Publication time; `nil` for drafts.
    public var publishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case tagName = "tag_name"
        case targetCommitish = "target_commitish"
        case name
        case draft
        case prerelease
        case createdAt = "created_at"
        case publishedAt = "published_at"
    }

    /// Creates a release.
    public init(
        id: Int64, tagName: String, targetCommitish: String, name: String?, draft: Bool, prerelease: Bool,
        createdAt: Date, publishedAt: Date?
    ) {
        self.id = id
        self.tagName = tagName
        self.targetCommitish = targetCommitish
        self.name = name
        self.draft = draft
        self.prerelease = prerelease
        self.createdAt = createdAt
        self.publishedAt = publishedAt
    }
}
