import Foundation

/// One sync's summary as the graph keeps it (a `(:SyncRun)` node): what the daemon hands over after a sync,
/// so the projection needs nothing of the sync module.
public struct SyncRunRecord: Sendable, Hashable {
    public var repository: String
    public var startedAt: Date
    public var finishedAt: Date
    /// `success`, `failed`, `rate_limited` or `cancelled`.
    public var outcome: String
    public var error: String?
    /// GitHub requests made.
    public var requests: Int
    /// Items stored, by entity.
    public var storedByEntity: [String: Int]

    public init(
        repository: String, startedAt: Date, finishedAt: Date, outcome: String, error: String?, requests: Int,
        storedByEntity: [String: Int]
    ) {
        self.repository = repository
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.error = error
        self.requests = requests
        self.storedByEntity = storedByEntity
    }
}
