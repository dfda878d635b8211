import Foundation

/// Sync health of one repository, as the store reports it (totals over the store's history).
public struct RepositorySyncHealth: Sendable, Hashable {
    /// `owner/name` as configured.
    public var repository: String
    /// End of the last successful sync.
    public var lastSuccess: Date?
    /// Start of the last sync attempt, whatever its outcome.
    public var lastAttempt: Date?
    /// Duration of the last sync attempt, in seconds.
    public var lastDuration: TimeInterval?
    /// Outcome of the last finished sync (`success`, `failed`, …); nil before the first. Shown on the status page.
    public var lastOutcome: String?
    /// Sync outcomes by result (`success`, `failed`, `rate_limited`, `cancelled`); missing results are exported as 0.
    public var runsByResult: [String: Int]
    /// Items fetched from GitHub by entity (`commits`, `releases`, …).
    public var itemsByEntity: [String: Int]
    /// GitHub requests by status (`200`, `304`, `404`, …, `error` for transport failures).
    public var requestsByStatus: [String: Int]
    /// Live rows in the store by entity (`commits`, `tags`, …).
    public var storeEntities: [String: Int]

    public init(
        repository: String, lastSuccess: Date? = nil, lastAttempt: Date? = nil, lastDuration: TimeInterval? = nil,
        lastOutcome: String? = nil, runsByResult: [String: Int] = [:], itemsByEntity: [String: Int] = [:], requestsByStatus: [String: Int] = [:],
        storeEntities: [String: Int] = [:]
    ) {
        self.repository = repository
        self.lastSuccess = lastSuccess
        self.lastAttempt = lastAttempt
        self.lastDuration = lastDuration
        self.lastOutcome = lastOutcome
        self.runsByResult = runsByResult
        self.itemsByEntity = itemsByEntity
        self.requestsByStatus = requestsByStatus
        self.storeEntities = storeEntities
    }

    /// The results always exported, so `rate()`/`increase()` see a zero before the first occurrence.
    public static let knownResults = ["success", "failed", "rate_limited", "cancelled"]
}
