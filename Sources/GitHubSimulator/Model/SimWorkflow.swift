import Foundation

/// A GitHub Actions workflow of a simulated repository.
public struct SimWorkflow: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    /// e.g. ".github/workflows/ci.yml".
    public var path: String
    /// "active", "disabled_manually", "disabled_inactivity", "disabled_fork" or "deleted".
    public var state: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int, name: String, path: String, state: String = "active", createdAt: Date = Date(timeIntervalSince1970: 1_577_836_800), updatedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.path = path
        self.state = state
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}
