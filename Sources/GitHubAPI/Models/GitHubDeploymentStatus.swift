import Foundation

/// An item of `GET /repos/{o}/{r}/deployments/{id}/statuses` (newest first).
public struct GitHubDeploymentStatus: Decodable, Sendable, Hashable {
    /// Status id.
    public var id: Int64
    /// `error`, `failure`, `inactive`, `in_progress`, `queued`, `pending`, `success`.
    public var state: String
    /// Creation time.
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case state
        case createdAt = "created_at"
    }

    /// Creates a status.
    public init(id: Int64, state: String, createdAt: Date) {
        self.id = id
        self.state = state
        self.createdAt = createdAt
    }
}
