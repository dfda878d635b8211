import Foundation
import GRDB

/// What the sync reads back: cursors, cached pages, and the few facts it needs to decide what to fetch.
extension TwinStore {
    /// The JSON state of a sync cursor (nil when the stream has none).
    public func cursor(repository: String, stream: String) throws(TwinStoreError) -> String? {
        try read { db in
            try String.fetchOne(
                db, sql: "SELECT state FROM sync_cursors WHERE repository = ? AND stream = ?",
                arguments: [repository, stream])
        }
    }

    /// The cached ETag, next URL and item keys of a page.
    public func httpCacheEntry(url: String) throws(TwinStoreError) -> HTTPCacheEntry? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT url, etag, next_url, item_keys FROM http_cache WHERE url = ?", arguments: [url]
            ).map {
                HTTPCacheEntry(
                    url: $0["url"], etag: $0["etag"], nextURL: $0["next_url"],
                    itemKeys: StoreJSON.decodeStrings($0["item_keys"]))
            }
        }
    }

    /// The subset of `shas` stored as live commits of the repository.
    public func liveCommitShas(repository: String, among shas: [String]) throws(TwinStoreError) -> Set<String> {
        guard !shas.isEmpty else { return [] }
        return try read { db in
            var found: Set<String> = []
            for chunk in stride(from: 0, to: shas.count, by: 500).map({ Array(shas[$0..<min($0 + 500, shas.count)]) }) {
                let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let rows = try String.fetchAll(
                    db,
                    sql: "SELECT sha FROM commits WHERE repository = ? AND deleted = 0 AND sha IN (\(placeholders))",
                    arguments: StatementArguments([repository] + chunk))
                found.formUnion(rows)
            }
            return found
        }
    }

    /// Live tag name → peeled commit sha.
    public func tagCommits(repository: String) throws(TwinStoreError) -> [String: String] {
        try read { db in
            var map: [String: String] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT name, commit_sha FROM tags WHERE repository = ? AND deleted = 0", arguments: [repository])
            {
                map[row["name"]] = row["commit_sha"]
            }
            return map
        }
    }

    /// Live release id → (tag name, resolved commit).
    public func releaseCommits(repository: String) throws(TwinStoreError) -> [Int64: (tagName: String, commitSha: String?)] {
        try read { db in
            var map: [Int64: (tagName: String, commitSha: String?)] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, tag_name, commit_sha FROM releases WHERE repository = ? AND deleted = 0",
                arguments: [repository])
            {
                map[row["id"]] = (row["tag_name"], row["commit_sha"])
            }
            return map
        }
    }

    /// Live workflow runs not yet completed: id and created_at, oldest first.
    public func pendingWorkflowRuns(repository: String) throws(TwinStoreError) -> [(id: Int64, createdAt: Date)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, created_at FROM workflow_runs WHERE repository = ? AND deleted = 0 AND status <> 'completed'
                    ORDER BY created_at, id
                    """,
                arguments: [repository]
            ).map { (id: $0["id"], createdAt: $0.date("created_at")) }
        }
    }

    /// What the deployment statuses sync needs per live deployment: whether its statuses were fetched since the
    /// store kept every status, and whether one of them is `success` (the deployment's outcome can then no
    /// longer change: it is dated by its first success).
    public func deploymentStatusProgress(
        repository: String
    ) throws(TwinStoreError) -> [(id: Int64, statusesSynced: Bool, succeeded: Bool)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.statuses_synced,
                    EXISTS (SELECT 1 FROM deployment_statuses s
                            WHERE s.repository = d.repository AND s.deployment_id = d.id AND s.state = 'success') AS succeeded
                    FROM deployments d WHERE d.repository = ? AND d.deleted = 0 ORDER BY d.id
                    """,
                arguments: [repository]
            ).map { (id: $0["id"], statusesSynced: $0["statuses_synced"], succeeded: $0["succeeded"]) }
        }
    }
}
