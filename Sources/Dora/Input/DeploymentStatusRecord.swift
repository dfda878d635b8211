import Foundation

/// One status of a GitHub Deployment (`GET /deployments/{id}/statuses`).
public struct DeploymentStatusRecord: Sendable, Hashable {
    /// GitHub's status id; orders statuses created in the same second.
    public var id: Int64
    /// `success`, `failure`, `error`, `inactive`, `in_progress`, `queued`, `pending`.
    public var state: String
    public var createdAt: Date

    public init(id: Int64, state: String, createdAt: Date) {
        self.id = id
        self.state = state
        self.createdAt = createdAt
    }
}
