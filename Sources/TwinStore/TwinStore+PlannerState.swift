import Foundation
import GRDB

/// The budget planner's state (schema `planner-state`): JSON by key, written at the end of each cycle, so a
/// restarted daemon serves the budget gauges and the completion estimate at once and plans with what it learned.
extension TwinStore {
    /// Writes (replaces) each entry, all in one transaction; with `replacingPrefix`, entries under that prefix
    /// that are not among `entries` are removed.
    public func savePlannerState(_ entries: [String: String], replacingPrefix: String? = nil, now: Date = Date()) throws(TwinStoreError) {
        try write { db in
            if let prefix = replacingPrefix {
                let kept = entries.keys.filter { $0.hasPrefix(prefix) }
                for key in try String.fetchAll(db, sql: "SELECT key FROM planner_state") where key.hasPrefix(prefix) && !kept.contains(key) {
                    try db.execute(sql: "DELETE FROM planner_state WHERE key = ?", arguments: [key])
                }
            }
            for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: """
                        INSERT INTO planner_state (key, value, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                        """,
                    arguments: [key, value, now.storeValue])
            }
        }
    }

    /// Every entry, with when it was written.
    public func plannerState() throws(TwinStoreError) -> [String: (value: String, savedAt: Date)] {
        try read { db in
            var entries: [String: (value: String, savedAt: Date)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value, updated_at FROM planner_state") {
                entries[row["key"]] = (value: row["value"], savedAt: row.date("updated_at"))
            }
            return entries
        }
    }
}
