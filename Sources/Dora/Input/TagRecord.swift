import Foundation

/// A git tag, peeled to the commit it ultimately points to.
public struct TagRecord: Sendable, Hashable {
    public var name: String
    /// The peeled commit sha (never an annotated tag object's sha).
    public var commitSha: String
    /// The tagger date of an annotated tag; nil for lightweight tags (or when unknown).
    public var taggerDate: Date?

    public init(name: String, commitSha: String, taggerDate: Date? = nil) {
        self.name = name
        self.commitSha = commitSha
        self.taggerDate = taggerDate
    }
}
