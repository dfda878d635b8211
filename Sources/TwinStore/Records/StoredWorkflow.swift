import Foundation

/// A GitHub Actions workflow, as stored.
public struct StoredWorkflow: Sendable, Hashable, Codable {
    public var repository: String
    public var id: Int64
    public var name: String
    /// File path, e.g. `.github/workflows/ci.yml`.
    public var path: String
    public var state: String
    public var seq: Int64
    public var deleted: Bool

    public init(
        repository: String, id: Int64, name: String, path: String, state: String, seq: Int64 = 0,
        deleted: Bool = false
    ) {
        self.repository = repository
        self.id = id
        self.name = name
        self.path = path
        self.state = state
        self.seq = seq
        self.deleted = deleted
    }
}
