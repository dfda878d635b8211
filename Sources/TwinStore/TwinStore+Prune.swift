import Foundation
import GRDB

/// Removing what the store holds of repositories that are no longer synced (`devops-twin prune`).
extension TwinStore {
    /// Tables keyed by repository, in the order their rows are removed.
    static let repositoryTables = [
        "commits", "tags", "releases", "issues", "workflows", "workflow_runs", "deployments", "deployment_statuses",
        "sync_cursors", "history_coverage", "sync_runs", "projection_state", "projection_runs",
    ]

    /// Every repository the store holds anything of, by name.
    public func storedRepositories() throws(TwinStoreError) -> [String] {
        try read { db in
            let union = Self.repositoryTables.map { "SELECT repository FROM \($0)" }.joined(separator: " UNION ")
            return try String.fetchAll(db, sql: "SELECT DISTINCT repository FROM (\(union)) ORDER BY repository")
        }
    }

    /// Rows held per table for `repository` (what `prune` would remove).
    public func storedRows(of repository: String) throws(TwinStoreError) -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for table in Self.repositoryTables {
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE repository = ?", arguments: [repository]) ?? 0
                if count > 0 { counts[table] = count }
            }
            return counts
        }
    }

    /// Removes everything stored of `repository` (rows, cursors, cached pages of `/repos/{repository}/…`), in one
    /// transaction. Neo4j is not touched: the graph keeps its nodes until `project --rebuild`.
    public func remove(repository: String) throws(TwinStoreError) {
        try write { db in
            for table in Self.repositoryTables {
                try db.execute(sql: "DELETE FROM \(table) WHERE repository = ?", arguments: [repository])
            }
            let base = "/repos/\(repository)".lowercased()
            try db.execute(
                sql: "DELETE FROM http_cache WHERE lower(url) = ? OR lower(substr(url, 1, ?)) IN (?, ?)",
                arguments: [base, base.count + 1, base + "/", base + "?"])
        }
    }
}
