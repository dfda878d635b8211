import Foundation

/// A GitHub Deployment with its latest status (by status `created_at`, then id).
public struct DeploymentRecord: Sendable, Hashable {
    public var id: Int64
    public var environment: String
    public var sha: String
    public var ref: String?
    public var createdAt: Date
    /// `success`, `failure`, `error`, `in_progress`, `inactive`, … or nil when it has no status.
    public var latestState: String?
    public var latestStateAt: Date?

    public init(
        id: Int64, environment: String, sha: String, ref: String? = nil, createdAt: Date, latestState: String?,
        latestStateAt: Date?
    ) {
        self.id = id
        self.environment = environment
        self.sha = sha
        self.ref = ref
        self.createdAt = createdAt
        self.latestState = latestState
        self.latestStateAt = latestStateAt
    }
}
