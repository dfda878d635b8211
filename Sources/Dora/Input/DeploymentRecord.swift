import Foundation

/// A GitHub Deployment with its statuses.
public struct DeploymentRecord: Sendable, Hashable {
    public var id: Int64
    public var environment: String
    public var sha: String
    public var ref: String?
    public var createdAt: Date
    /// `success`, `failure`, `error`, `in_progress`, `inactive`, … or nil when it has no status.
    public var latestState: String?
    public var latestStateAt: Date?
    /// Every status the store holds, any order. Empty when only the latest state is known (a store whose
    /// statuses were not fetched again since the status history was added): the engine then reads
    /// `latestState` at `latestStateAt` as the only status.
    public var statuses: [DeploymentStatusRecord]

    public init(
        id: Int64, environment: String, sha: String, ref: String? = nil, createdAt: Date, latestState: String?,
        latestStateAt: Date?, statuses: [DeploymentStatusRecord] = []
    ) {
        self.id = id
        self.environment = environment
        self.sha = sha
        self.ref = ref
        self.createdAt = createdAt
        self.latestState = latestState
        self.latestStateAt = latestStateAt
        self.statuses = statuses
    }
}
