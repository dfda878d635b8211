import Foundation
import GRDB

/// Sync and projection history, rate limit, projection watermark.
extension TwinStore {
    /// Records the start of a sync; returns its id for `finishSyncRun`.
    public func beginSyncRun(repository: String, startedAt: Date) throws(TwinStoreError) -> Int64 {
        try write { db in
            try db.execute(
                sql: "INSERT INTO sync_runs (repository, started_at, outcome) VALUES (?, ?, 'running')",
                arguments: [repository, startedAt.storeValue])
            return db.lastInsertedRowID
        }
    }

    /// Records how a sync ended.
    public func finishSyncRun(
        id: Int64, finishedAt: Date, outcome: String, error: String?, requestsByStatus: [String: Int],
        itemsByEntity: [String: Int]
    ) throws(TwinStoreError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE sync_runs SET finished_at = ?, outcome = ?, error = ?, requests_by_status = ?,
                    items_by_entity = ? WHERE id = ?
                    """,
                arguments: [
                    finishedAt.storeValue, outcome, error, StoreJSON.encode(requestsByStatus),
                    StoreJSON.encode(itemsByEntity), id,
                ])
        }
    }

    /// Last success/attempt, duration and totals over the repository's sync history.
    public func syncHealth(_ repository: String) throws(TwinStoreError) -> SyncHealthRecord {
        try read { db in
            var health = SyncHealthRecord()
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT started_at, finished_at, outcome, requests_by_status, items_by_entity FROM sync_runs
                    WHERE repository = ? ORDER BY started_at, id
                    """,
                arguments: [repository])
            for row in rows {
                let startedAt = row.date("started_at")
                health.lastAttemptAt = startedAt
                let outcome: String = row["outcome"]
                guard let finishedAt = row.optionalDate("finished_at") else { continue }
                health.outcomes[outcome, default: 0] += 1
                health.lastOutcome = outcome
                health.lastDuration = finishedAt.timeIntervalSince(startedAt)
                if outcome == "success" { health.lastSuccessAt = finishedAt }
                for (status, count) in StoreJSON.decodeCounts(row["requests_by_status"]) {
                    health.requestsByStatus[status, default: 0] += count
                }
                for (entity, count) in StoreJSON.decodeCounts(row["items_by_entity"]) {
                    health.itemsByEntity[entity, default: 0] += count
                }
            }
            return health
        }
    }

    /// Remembers the latest rate-limit status GitHub reported for a resource.
    public func recordRateLimit(_ record: RateLimitRecord, observedAt: Date) throws(TwinStoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO rate_limits (credential, resource, "limit", remaining, used, reset, observed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(credential, resource) DO UPDATE SET "limit" = excluded."limit", remaining = excluded.remaining,
                    used = excluded.used, reset = excluded.reset, observed_at = excluded.observed_at
                    """,
                arguments: [
                    record.credential, record.resource, record.limit, record.remaining, record.used, record.reset.storeValue,
                    observedAt.storeValue,
                ])
        }
    }

    /// The most recently observed rate-limit status (nil before any sync).
    public func lastRateLimit() throws(TwinStoreError) -> RateLimitRecord? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT credential, resource, "limit", remaining, used, reset FROM rate_limits ORDER BY observed_at DESC,
                    resource = 'core' DESC LIMIT 1
                    """
            ).map {
                RateLimitRecord(
                    credential: $0["credential"], resource: $0["resource"], limit: $0["limit"], remaining: $0["remaining"], used: $0["used"],
                    reset: $0.date("reset"))
            }
        }
    }

    /// The latest rate-limit status of every credential and resource, by credential then resource.
    public func rateLimits() throws(TwinStoreError) -> [RateLimitRecord] {
        try read { db in
            try Row.fetchAll(
                db, sql: #"SELECT credential, resource, "limit", remaining, used, reset FROM rate_limits ORDER BY credential, resource"#
            ).map {
                RateLimitRecord(
                    credential: $0["credential"], resource: $0["resource"], limit: $0["limit"], remaining: $0["remaining"],
                    used: $0["used"], reset: $0.date("reset"))
            }
        }
    }

    /// The highest `seq` the Neo4j projection has applied for the repository (0 before the first run).
    public func projectionWatermark(repository: String) throws(TwinStoreError) -> Int64 {
        try read { db in
            try Int64.fetchOne(
                db, sql: "SELECT watermark FROM projection_state WHERE repository = ?", arguments: [repository]) ?? 0
        }
    }

    public func setProjectionWatermark(repository: String, _ sequence: Int64) throws(TwinStoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO projection_state (repository, watermark) VALUES (?, ?)
                    ON CONFLICT(repository) DO UPDATE SET watermark = excluded.watermark
                    """,
                arguments: [repository, sequence])
        }
    }

    public func recordProjectionRun(
        repository: String, startedAt: Date, finishedAt: Date, outcome: String, error: String?
    ) throws(TwinStoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO projection_runs (repository, started_at, finished_at, outcome, error) VALUES (?, ?, ?, ?, ?)",
                arguments: [repository, startedAt.storeValue, finishedAt.storeValue, outcome, error])
        }
    }
}
