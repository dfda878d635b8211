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

extension RepositorySyncResult {
    /// One result for two jobs of the same repository in one cycle (a sync, then its deepening): the later
    /// outcome when it did not succeed, the counts summed.
    public func merged(with later: RepositorySyncResult) -> RepositorySyncResult {
        var merged = self
        if later.outcome != .success {
            merged.outcome = later.outcome
            merged.error = later.error
            merged.reason = later.reason
            merged.resetAt = later.resetAt
        }
        merged.finishedAt = later.finishedAt
        merged.requests.merge(later.requests) { $0 + $1 }
        for (entity, count) in later.entities {
            merged.entities[entity, default: EntityCount()].fetched += count.fetched
            merged.entities[entity, default: EntityCount()].stored += count.stored
        }
        merged.warnings += later.warnings.filter { !merged.warnings.contains($0) }
        merged.rateLimitRemaining = later.rateLimitRemaining ?? rateLimitRemaining
        return merged
    }

    /// Rate-limit points the sync spent: every answered request but a 304 (conditional requests that find
    /// nothing new are free).
    public var points: Int {
        requests.filter { $0.key != "304" && $0.key != "error" }.values.reduce(0, +)
    }
}
