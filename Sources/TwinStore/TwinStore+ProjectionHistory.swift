import Foundation
import GRDB

/// Projection history of one repository, summarised from `projection_runs` (for the exporter).
public struct ProjectionHealthRecord: Sendable, Hashable {
    public var lastSuccessAt: Date?
    /// Runs by outcome (`success`, `up_to_date`, `failed`) over the whole history.
    public var outcomes: [String: Int]

    public init(lastSuccessAt: Date? = nil, outcomes: [String: Int] = [:]) {
        self.lastSuccessAt = lastSuccessAt
        self.outcomes = outcomes
    }
}

extension TwinStore {
    /// Last successful projection (an up-to-date run counts as success) and run counts by outcome.
    public func projectionHealth(_ repository: String) throws(TwinStoreError) -> ProjectionHealthRecord {
        try read { db in
            var health = ProjectionHealthRecord()
            let rows = try Row.fetchAll(
                db, sql: "SELECT outcome, COUNT(*) AS runs, MAX(finished_at) AS last FROM projection_runs WHERE repository = ? GROUP BY outcome",
                arguments: [repository])
            for row in rows {
                let outcome: String = row["outcome"]
                health.outcomes[outcome] = row["runs"]
                if outcome != "failed", let last = row.optionalDate("last") {
                    health.lastSuccessAt = max(health.lastSuccessAt ?? last, last)
                }
            }
            return health
        }
    }
}
