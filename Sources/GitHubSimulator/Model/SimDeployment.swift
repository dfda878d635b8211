import Foundation

/// A GitHub Deployment of a simulated repository, with its statuses.
public struct SimDeployment: Sendable, Hashable, Codable {
    public var id: Int
    public var sha: String
    /// Branch, tag or sha that was deployed.
    public var ref: String
    /// e.g. "production", "staging".
    public var environment: String
    public var createdAt: Date
    /// Oldest first (the API serves them newest first).
    public var statuses: [SimDeploymentStatus]
    public var task: String
    public var creatorLogin: String

    public init(
        id: Int, sha: String, ref: String, environment: String, createdAt: Date, statuses: [SimDeploymentStatus] = [],
        task: String = "deploy", creatorLogin: String = "octocat"
    ) {
        self.id = id
        self.sha = sha
        self.ref = ref
        self.environment = environment
        self.createdAt = createdAt
        self.statuses = statuses
        self.task = task
        self.creatorLogin = creatorLogin
    }

    /// The time of the last change: the newest status, or creation.
    public var updatedAt: Date {
        statuses.map(\.createdAt).max().map { max($0, createdAt) } ?? createdAt
    }
}

/// A status of a simulated deployment.
public struct SimDeploymentStatus: Sendable, Hashable, Codable {
    public var id: Int
    /// "error", "failure", "inactive", "in_progress", "queued", "pending" or "success".
    public var state: String
    public var createdAt: Date

    public init(id: Int, state: String, createdAt: Date) {
        self.id = id
        self.state = state
        self.createdAt = createdAt
    }
}
