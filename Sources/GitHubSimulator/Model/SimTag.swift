import Foundation

/// A git tag of a simulated repository.
public struct SimTag: Sendable, Hashable, Codable {
    public var name: String
    /// The commit the tag (ultimately) points to.
    public var commitSha: String
    /// True for an annotated tag (a tag object), false for a lightweight tag.
    public var annotated: Bool
    /// The sha of the tag object, for annotated tags.
    public var tagObjectSha: String?
    /// The tagger date, for annotated tags.
    public var taggerDate: Date?

    public init(name: String, commitSha: String, annotated: Bool = false, tagObjectSha: String? = nil, taggerDate: Date? = nil) {
        self.name = name
        self.commitSha = commitSha
        self.annotated = annotated
        self.tagObjectSha = tagObjectSha
        self.taggerDate = taggerDate
    }
}
