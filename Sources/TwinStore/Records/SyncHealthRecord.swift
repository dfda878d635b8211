import Foundation

/// Sync history of one repository, summarised from the `sync_runs` table.
public struct SyncHealthRecord: Sendable, Hashable {
    public var lastSuccessAt: Date?
    public var lastAttemptAt: Date?
    /// Duration of the last finished sync, in seconds.
    public var lastDuration: TimeInterval?
    public var lastOutcome: String?
    /// Finished syncs by outcome (`success`, `failed`, `rate_limited`, `cancelled`), over the whole history.
    public var outcomes: [String: Int]
    /// Items fetched by entity, summed over the whole history.
    public var itemsByEntity: [String: Int]
    /// GitHub requests by HTTP status ("200", "304", "502", "error"), summed over the whole history.
    public var requestsByStatus: [String: Int]

    public init(
        lastSuccessAt: Date? = nil, lastAttemptAt: Date? = nil, lastDuration: TimeInterval? = nil,
        lastOutcome: String? = nil, outcomes: [String: Int] = [:], itemsByEntity: [String: Int] = [:],
        requestsByStatus: [String: Int] = [:]
    ) {
        self.lastSuccessAt = lastSuccessAt
        self.lastAttemptAt = lastAttemptAt
        self.lastDuration = lastDuration
        self.lastOutcome = lastOutcome
        self.outcomes = outcomes
        self.itemsByEntity = itemsByEntity
        self.requestsByStatus = requestsByStatus
    }
}
