import Foundation

/// A GitHub deployment with its latest status, as stored (every status is in `deployment_statuses`).
public struct StoredDeployment: Sendable, Hashable, Codable {
    public var repository: String
    public var id: Int64
    public var sha: String
    public var ref: String
    public var environment: String
    public var createdAt: Date
    public var updatedAt: Date
    /// State of the latest status (by created_at, then id); nil when it has none (yet).
    public var latestState: String?
    public var latestStateAt: Date?
    public var seq: Int64
    public var deleted: Bool

    public init(
        repository: String, id: Int64, sha: String, ref: String, environment: String, createdAt: Date,
        updatedAt: Date, latestState: String? = nil, latestStateAt: Date? = nil, seq: Int64 = 0,
        deleted: Bool = false
    ) {
        self.repository = repository
        self.id = id
        self.sha = sha
        self.ref = ref
        self.environment = environment
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.latestState = latestState
        self.latestStateAt = latestStateAt
        self.seq = seq
        self.deleted = deleted
    }
}
