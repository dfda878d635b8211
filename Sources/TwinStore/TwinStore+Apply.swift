import Foundation
import GRDB

extension TwinStore {
    /// Applies a batch in one transaction (see `StoreBatch`). Upserts are idempotent: a row whose content is
    /// unchanged keeps its `seq`; a changed, new or revived (soft-deleted) row gets the next store-wide `seq`.
    @discardableResult
    public func apply(_ batch: StoreBatch, now: Date = Date()) throws(TwinStoreError) -> StoreBatchResult {
        if batch.isEmpty { return StoreBatchResult() }
        return try write { db in
            var writer = BatchWriter(db: db, lastSequence: try Self.lastSequence(db))
            try writer.apply(batch, now: now)
            try db.execute(
                sql: "UPDATE store_meta SET value = ? WHERE key = 'last_seq'", arguments: [writer.lastSequence])
            return writer.result
        }
    }

    static func lastSequence(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'last_seq'") ?? 0
    }
}

/// The columns of an entity table, and the idempotent upsert built from them (only constant column names
/// are interpolated; every value is a parameter).
struct EntityUpsert {
    let table: String
    let keys: [String]
    let values: [String]

    var sql: String {
        let columns = keys + values
        let placeholders = Array(repeating: "?", count: columns.count + 1).joined(separator: ", ")
        let assignments = values.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let changed = values.map { "\(table).\($0) IS NOT excluded.\($0)" }.joined(separator: " OR ")
        return "INSERT INTO \(table) (\(columns.joined(separator: ", ")), seq, deleted) VALUES (\(placeholders), 0) "
            + "ON CONFLICT(\(keys.joined(separator: ", "))) DO UPDATE SET \(assignments), seq = excluded.seq, deleted = 0 "
            + "WHERE \(changed) OR \(table).deleted <> 0"
    }

    static let commits = EntityUpsert(
        table: "commits", keys: ["repository", "sha"],
        values: [
            "parents", "author_name", "author_email", "author_login", "committer_name", "committer_email",
            "committer_login", "authored_at", "committed_at", "message",
        ])
    // Tags are written with `tagsSQL` (TwinStore+TagObjects), which keeps resolved tag objects.
    static let releases = EntityUpsert(
        table: "releases", keys: ["repository", "id"],
        values: [
            "tag_name", "name", "draft", "prerelease", "created_at", "published_at", "target_commitish", "commit_sha",
        ])
    static let issues = EntityUpsert(
        table: "issues", keys: ["repository", "number"],
        values: [
            "id", "title", "state", "state_reason", "labels", "user_login", "created_at", "updated_at", "closed_at",
            "is_pull_request",
        ])
    static let workflows = EntityUpsert(
        table: "workflows", keys: ["repository", "id"], values: ["name", "path", "state"])
    static let workflowRuns = EntityUpsert(
        table: "workflow_runs", keys: ["repository", "id"],
        values: [
            "workflow_id", "name", "head_branch", "head_sha", "event", "status", "conclusion", "run_attempt",
            "run_number", "created_at", "run_started_at", "updated_at",
        ])
    /// The latest status is not part of the listing; it is written by `DeploymentStatusUpdate`.
    static let deployments = EntityUpsert(
        table: "deployments", keys: ["repository", "id"],
        values: ["sha", "ref", "environment", "created_at", "updated_at"])
}

/// Applies one batch inside a write transaction, handing out sequence numbers.
struct BatchWriter {
    let db: Database
    var lastSequence: Int64
    var result = StoreBatchResult()

    init(db: Database, lastSequence: Int64) {
        self.db = db
        self.lastSequence = lastSequence
    }

    mutating func apply(_ batch: StoreBatch, now: Date) throws {
        try upsert(.commits, EntityUpsert.commits, batch.commits) { c in
            [
                c.repository, c.sha, StoreJSON.encode(c.parents), c.authorName, c.authorEmail, c.authorLogin,
                c.committerName, c.committerEmail, c.committerLogin, c.authoredAt.storeValue,
                c.committedAt.storeValue, c.message,
            ]
        }
        try upsert(.tags, sql: EntityUpsert.tagsSQL, batch.tags) { t in
            [t.repository, t.name, t.commitSha, t.annotated, t.tagObjectSha, t.taggerDate?.storeValue]
        }
        try upsert(.releases, EntityUpsert.releases, batch.releases) { r in
            [
                r.repository, r.id, r.tagName, r.name, r.draft, r.prerelease, r.createdAt.storeValue,
                r.publishedAt?.storeValue, r.targetCommitish, r.commitSha,
            ]
        }
        try upsert(.issues, EntityUpsert.issues, batch.issues) { i in
            [
                i.repository, i.number, i.id, i.title, i.state, i.stateReason, StoreJSON.encode(i.labels), i.userLogin,
                i.createdAt.storeValue, i.updatedAt.storeValue, i.closedAt?.storeValue, i.isPullRequest,
            ]
        }
        try upsert(.workflows, EntityUpsert.workflows, batch.workflows) { w in
            [w.repository, w.id, w.name, w.path, w.state]
        }
        try upsert(.workflowRuns, EntityUpsert.workflowRuns, batch.workflowRuns) { r in
            [
                r.repository, r.id, r.workflowId, r.name, r.headBranch, r.headSha, r.event, r.status, r.conclusion,
                r.runAttempt, r.runNumber, r.createdAt.storeValue, r.runStartedAt?.storeValue, r.updatedAt.storeValue,
            ]
        }
        try upsert(.deployments, EntityUpsert.deployments, batch.deployments) { d in
            [d.repository, d.id, d.sha, d.ref, d.environment, d.createdAt.storeValue, d.updatedAt.storeValue]
        }
        for status in batch.deploymentStatuses {
            let candidate = lastSequence + 1
            try db.execute(
                sql: """
                    UPDATE deployments SET latest_state = ?, latest_state_at = ?, seq = ?
                    WHERE repository = ? AND id = ? AND (latest_state IS NOT ? OR latest_state_at IS NOT ?)
                    """,
                arguments: [
                    status.state, status.at?.storeValue, candidate, status.repository, status.deploymentId,
                    status.state, status.at?.storeValue,
                ])
            if db.changesCount > 0 {
                lastSequence = candidate
                result.stored[.deployments, default: 0] += 1
            }
        }
        for history in batch.deploymentStatusHistories {
            try replaceStatuses(history)
        }
        for repository in batch.refreshReleaseCommits {
            try refreshReleaseCommits(repository)
        }
        for deletion in batch.softDeletions {
            try softDelete(deletion)
        }
        for entry in batch.httpCache {
            try db.execute(
                sql: """
                    INSERT INTO http_cache (url, etag, next_url, item_keys, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, next_url = excluded.next_url,
                    item_keys = excluded.item_keys, updated_at = excluded.updated_at
                    """,
                arguments: [entry.url, entry.etag, entry.nextURL, StoreJSON.encode(entry.itemKeys), now.storeValue])
        }
        for update in batch.coverage {
            try db.execute(
                sql: """
                    INSERT INTO history_coverage (repository, stream, covered_from, complete, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(repository, stream) DO UPDATE SET covered_from = excluded.covered_from,
                    complete = excluded.complete, updated_at = excluded.updated_at
                    """,
                arguments: [update.repository, update.stream, update.from?.storeValue, update.complete, now.storeValue])
        }
        for cursor in batch.cursors {
            if let state = cursor.state {
                try db.execute(
                    sql: """
                        INSERT INTO sync_cursors (repository, stream, state, updated_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(repository, stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                        """,
                    arguments: [cursor.repository, cursor.stream, state, now.storeValue])
            } else {
                try db.execute(
                    sql: "DELETE FROM sync_cursors WHERE repository = ? AND stream = ?",
                    arguments: [cursor.repository, cursor.stream])
            }
        }
    }

    private mutating func upsert<Record>(
        _ entity: StoreEntity, _ upsert: EntityUpsert, _ records: [Record],
        arguments: (Record) -> [(any DatabaseValueConvertible)?]
    ) throws {
        try self.upsert(entity, sql: upsert.sql, records, arguments: arguments)
    }

    private mutating func upsert<Record>(
        _ entity: StoreEntity, sql: String, _ records: [Record],
        arguments: (Record) -> [(any DatabaseValueConvertible)?]
    ) throws {
        guard !records.isEmpty else { return }
        let statement = try db.cachedStatement(sql: sql)
        for record in records {
            let candidate = lastSequence + 1
            try statement.execute(arguments: StatementArguments(arguments(record) + [candidate]))
            if db.changesCount > 0 {
                lastSequence = candidate
                result.stored[entity, default: 0] += 1
            }
        }
    }

    private mutating func markDeleted(_ entity: StoreEntity, repository: String, key: DatabaseValue) throws {
        let candidate = lastSequence + 1
        try db.execute(
            sql: "UPDATE \(entity.rawValue) SET deleted = 1, seq = ? WHERE repository = ? AND \(entity.keyColumn) = ? AND deleted = 0",
            arguments: [candidate, repository, key])
        if db.changesCount > 0 {
            lastSequence = candidate
            result.deleted[entity, default: 0] += 1
        }
    }

    private mutating func softDelete(_ deletion: StoreBatch.SoftDeletion) throws {
        switch deletion {
        case .row(let repository, let entity, let key):
            let value: DatabaseValue =
                entity.keyColumn == "sha" || entity.keyColumn == "name"
                ? key.databaseValue : (Int64(key)?.databaseValue ?? key.databaseValue)
            try markDeleted(entity, repository: repository, key: value)
        case .missing(let repository, let entity, let keep):
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(entity.keyColumn) AS k FROM \(entity.rawValue) WHERE repository = ? AND deleted = 0",
                arguments: [repository])
            for row in rows {
                let value: DatabaseValue = row["k"]
                if !keep.contains(Self.keyText(value)) {
                    try markDeleted(entity, repository: repository, key: value)
                }
            }
        case .commitsUnreachable(let repository, let head):
            var parentsBySha: [String: [String]] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT sha, parents FROM commits WHERE repository = ? AND deleted = 0",
                arguments: [repository])
            while let row = try rows.next() {
                parentsBySha[row["sha"]] = StoreJSON.decodeStrings(row["parents"])
            }
            guard parentsBySha[head] != nil else { return }
            var reachable: Set<String> = [head]
            var stack = [head]
            while let sha = stack.popLast() {
                for parent in parentsBySha[sha] ?? [] where parentsBySha[parent] != nil {
                    if reachable.insert(parent).inserted { stack.append(parent) }
                }
            }
            for sha in parentsBySha.keys where !reachable.contains(sha) {
                try markDeleted(.commits, repository: repository, key: sha.databaseValue)
            }
        }
    }

    /// Replaces a deployment's stored statuses with `history`; the latest state follows (by `created_at`, then
    /// id). The row gets a new `seq` only when a status or the latest state changed.
    private mutating func replaceStatuses(_ history: StoreBatch.DeploymentStatusHistory) throws {
        let arguments: StatementArguments = [history.repository, history.deploymentId]
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT latest_state, latest_state_at FROM deployments WHERE repository = ? AND id = ?",
                arguments: arguments)
        else { return }
        struct Key: Hashable {
            var id: Int64
            var state: String
            var at: Double
        }
        let stored = Set(
            try Row.fetchAll(
                db, sql: "SELECT id, state, created_at FROM deployment_statuses WHERE repository = ? AND deployment_id = ?",
                arguments: arguments
            ).map { Key(id: $0["id"], state: $0["state"], at: $0["created_at"]) })
        let incoming = Set(history.statuses.map { Key(id: $0.id, state: $0.state, at: $0.createdAt.storeValue) })
        let latest = history.statuses.max { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        let oldState: String? = row["latest_state"]
        let oldAt: Double? = row["latest_state_at"]
        let changed = stored != incoming || oldState != latest?.state || oldAt != latest?.createdAt.storeValue
        if changed {
            try db.execute(
                sql: "DELETE FROM deployment_statuses WHERE repository = ? AND deployment_id = ?", arguments: arguments)
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO deployment_statuses (repository, deployment_id, id, state, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """)
            for status in incoming {
                try insert.execute(arguments: [history.repository, history.deploymentId, status.id, status.state, status.at])
            }
            let candidate = lastSequence + 1
            try db.execute(
                sql: """
                    UPDATE deployments SET latest_state = ?, latest_state_at = ?, statuses_synced = 1, seq = ?
                    WHERE repository = ? AND id = ?
                    """,
                arguments: [
                    latest?.state, latest?.createdAt.storeValue, candidate, history.repository, history.deploymentId,
                ])
            lastSequence = candidate
            result.stored[.deployments, default: 0] += 1
        } else {
            try db.execute(
                sql: "UPDATE deployments SET statuses_synced = 1 WHERE repository = ? AND id = ? AND statuses_synced = 0",
                arguments: arguments)
        }
    }

    /// Sets each live release's commit to its live tag's peeled commit where they differ.
    private mutating func refreshReleaseCommits(_ repository: String) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT r.id AS id, t.commit_sha AS sha FROM releases r
                JOIN tags t ON t.repository = r.repository AND t.name = r.tag_name AND t.deleted = 0
                WHERE r.repository = ? AND r.deleted = 0 AND r.commit_sha IS NOT t.commit_sha
                """,
            arguments: [repository])
        for row in rows {
            let candidate = lastSequence + 1
            let id: Int64 = row["id"]
            let sha: String = row["sha"]
            try db.execute(
                sql: "UPDATE releases SET commit_sha = ?, seq = ? WHERE repository = ? AND id = ?",
                arguments: [sha, candidate, repository, id])
            if db.changesCount > 0 {
                lastSequence = candidate
                result.stored[.releases, default: 0] += 1
            }
        }
    }

    static func keyText(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .int64(let number): String(number)
        case .string(let text): text
        case .double(let number): String(Int64(number))
        case .blob, .null: ""
        }
    }
}
