import Dora
import Foundation
import GRDB

/// How far back each repository's synced history reaches (spec v1.2 "Coverage").
extension TwinStore {
    /// The streams whose history a progressive sync deepens; the other listings are read whole every sync.
    public static let progressiveStreams = ["commits", "issues", "workflow_runs"]

    /// The repository's coverage over `streams`: complete when every stream reaches `since`; partial from the
    /// latest `covered_from` among the others; none when a stream has not been synced at all. A repository with
    /// no coverage rows that has a successful sync run was synced whole before coverage was recorded.
    public func historyCoverage(
        repository: String, streams: [String] = TwinStore.progressiveStreams
    ) throws(TwinStoreError) -> HistoryCoverage {
        try read { db in
            var rows: [String: (from: Double?, complete: Bool)] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT stream, covered_from, complete FROM history_coverage WHERE repository = ?",
                arguments: [repository])
            {
                rows[row["stream"]] = (row["covered_from"], row["complete"])
            }
            if rows.isEmpty {
                let synced = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM sync_runs WHERE repository = ? AND outcome = 'success')",
                    arguments: [repository]) ?? false
                return synced ? .complete : .none
            }
            var latest: Double?
            for stream in streams {
                guard let row = rows[stream] else { return .none }
                if row.complete { continue }
                guard let from = row.from else { return .none }
                latest = max(latest ?? from, from)
            }
            guard let latest else { return .complete }
            return .partial(from: Date(timeIntervalSince1970: latest))
        }
    }

    /// Every repository's coverage rows, for `check-config` and the budget planner: stream → (from, complete).
    public func streamCoverage(repository: String) throws(TwinStoreError) -> [String: (from: Date?, complete: Bool)] {
        try read { db in
            var rows: [String: (from: Date?, complete: Bool)] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT stream, covered_from, complete FROM history_coverage WHERE repository = ?",
                arguments: [repository])
            {
                let from: Double? = row["covered_from"]
                rows[row["stream"]] = (from.map { Date(timeIntervalSince1970: $0) }, row["complete"])
            }
            return rows
        }
    }
}
