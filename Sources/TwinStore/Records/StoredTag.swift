import Foundation

/// A git tag with its peeled commit, as stored. `seq` and `deleted` are set by the store.
public struct StoredTag: Sendable, Hashable, Codable {
    public var repository: String
    public var name: String
    /// The commit the tag ultimately points to (peeled).
    public var commitSha: String
    /// Whether the tag is annotated; false when unknown (the `/tags` listing does not say).
    public var annotated: Bool
    /// nil while unresolved; the tag object's sha for an annotated tag; the commit sha itself for a
    /// lightweight tag (resolved, nothing more to ask). Resolved only for the `tags` deployment source.
    public var tagObjectSha: String?
    public var taggerDate: Date?
    public var seq: Int64
    /// Soft delete: missing from the latest complete tags listing.
    public var deleted: Bool

    public init(
        repository: String, name: String, commitSha: String, annotated: Bool = false, tagObjectSha: String? = nil,
        taggerDate: Date? = nil, seq: Int64 = 0, deleted: Bool = false
    ) {
        self.repository = repository
        self.name = name
        self.commitSha = commitSha
        self.annotated = annotated
        self.tagObjectSha = tagObjectSha
        self.taggerDate = taggerDate
        self.seq = seq
        self.deleted = deleted
    }
}
