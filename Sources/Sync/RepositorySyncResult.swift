import Foundation

/// The result of syncing one configured repository.
public struct RepositorySyncResult: Sendable, Codable, Hashable {
    /// The configured repository name (the `repository` label).
    public var repository: String
    public var outcome: SyncOutcome
    /// What went wrong and what to do, for `failed` and `rate_limited`.
    public var error: String?
    /// The kind of failure, the same for every repository that failed the same way (`rateLimited`,
    /// `unauthorized`, `server`, … as in `GitHubError.Kind`; `store`; `other`): what summaries group by.
    public var reason: String?
    /// When GitHub's primary rate limit resets, for `rate_limited`.
    public var resetAt: Date?
    public var startedAt: Date
    public var finishedAt: Date
    /// By entity (`commits`, `tags`, `releases`, `issues`, `workflows`, `workflow_runs`, `deployments`).
    public var entities: [String: EntityCount]
    /// GitHub requests by HTTP status ("200", "304", "502", …, "error" for transport failures).
    public var requests: [String: Int]
    /// Things a user should know that did not stop the sync (e.g. a renamed repository).
    public var warnings: [String]
    /// Primary rate-limit points left after the sync, when GitHub reported them.
    public var rateLimitRemaining: Int?

    public init(
        repository: String, outcome: SyncOutcome, error: String? = nil, startedAt: Date, finishedAt: Date,
        entities: [String: EntityCount] = [:], requests: [String: Int] = [:], warnings: [String] = [],
        rateLimitRemaining: Int? = nil, reason: String? = nil, resetAt: Date? = nil
    ) {
        self.repository = repository
        self.outcome = outcome
        self.error = error
        self.reason = reason
        self.resetAt = resetAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.entities = entities
        self.requests = requests
        self.warnings = warnings
        self.rateLimitRemaining = rateLimitRemaining
    }
}
