import Foundation

/// What one projection run of one repository did.
public struct ProjectionResult: Sendable, Codable, Hashable {
    public enum Outcome: String, Sendable, Codable, Hashable {
        /// Changes were written and the watermark advanced.
        case success
        /// Nothing changed in the store since the last run; nothing was sent (besides discovery/migrations).
        case upToDate = "up_to_date"
        /// Neo4j or the store failed; the watermark did not move, the next run catches up.
        case failed
    }

    public var repository: String
    public var outcome: Outcome
    /// What went wrong (never contains a password).
    public var error: String?
    public var startedAt: Date
    public var finishedAt: Date
    /// Rows sent in `$rows` parameters (nodes and relationships written, deletions included).
    public var itemsWritten: Int
    /// Store rows read from the change feed.
    public var changesRead: Int
    public var statements: Int
    /// HTTP requests sent, retries and discovery included.
    public var requests: Int
    /// The watermark after the run.
    public var watermark: Int64
    /// Store `maxSequence` minus the watermark after the run (0 when caught up).
    public var lag: Int64

    public init(
        repository: String, outcome: Outcome, error: String? = nil, startedAt: Date, finishedAt: Date, itemsWritten: Int = 0,
        changesRead: Int = 0, statements: Int = 0, requests: Int = 0, watermark: Int64 = 0, lag: Int64 = 0
    ) {
        self.repository = repository
        self.outcome = outcome
        self.error = error
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.itemsWritten = itemsWritten
        self.changesRead = changesRead
        self.statements = statements
        self.requests = requests
        self.watermark = watermark
        self.lag = lag
    }
}
