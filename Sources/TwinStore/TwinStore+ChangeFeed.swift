import Foundation
import GRDB

/// The change feed for the Neo4j projection: rows (deleted ones included) with `seq` above a watermark,
/// in `seq` order.
extension TwinStore {
    public func commits(repository: String, afterSequence: Int64, limit: Int) throws(TwinStoreError) -> [StoredCommit] {
        try feed(.commits, repository, afterSequence, limit) { row in
            StoredCommit(
                repository: row["repository"], sha: row["sha"], parents: StoreJSON.decodeStrings(row["parents"]),
                authorName: row["author_name"], authorEmail: row["author_email"], authorLogin: row["author_login"],
                committerName: row["committer_name"], committerEmail: row["committer_email"],
                committerLogin: row["committer_login"], authoredAt: row.date("authored_at"),
                committedAt: row.date("committed_at"), message: row["message"], seq: row["seq"],
                deleted: row["deleted"])
        }
    }

    public func tags(repository: String, afterSequence: Int64, limit: Int) throws(TwinStoreError) -> [StoredTag] {
        try feed(.tags, repository, afterSequence, limit) { row in
            StoredTag(
                repository: row["repository"], name: row["name"], commitSha: row["commit_sha"],
                annotated: row["annotated"], tagObjectSha: row["tag_object_sha"],
                taggerDate: row.optionalDate("tagger_date"), seq: row["seq"], deleted: row["deleted"])
        }
    }

    public func releases(repository: String, afterSequence: Int64, limit: Int) throws(TwinStoreError) -> [StoredRelease] {
        try feed(.releases, repository, afterSequence, limit) { row in
            StoredRelease(
                repository: row["repository"], id: row["id"], tagName: row["tag_name"], name: row["name"],
                draft: row["draft"], prerelease: row["prerelease"], createdAt: row.date("created_at"),
                publishedAt: row.optionalDate("published_at"), targetCommitish: row["target_commitish"],
                commitSha: row["commit_sha"], seq: row["seq"], deleted: row["deleted"])
        }
    }

    public func issues(repository: String, afterSequence: Int64, limit: Int) throws(TwinStoreError) -> [StoredIssue] {
        try feed(.issues, repository, afterSequence, limit) { row in
            StoredIssue(
                repository: row["repository"], number: row["number"], id: row["id"], title: row["title"],
                state: row["state"], stateReason: row["state_reason"], labels: StoreJSON.decodeStrings(row["labels"]),
                userLogin: row["user_login"], createdAt: row.date("created_at"), updatedAt: row.date("updated_at"),
                closedAt: row.optionalDate("closed_at"), isPullRequest: row["is_pull_request"], seq: row["seq"],
                deleted: row["deleted"])
        }
    }

    public func workflows(repository: String, afterSequence: Int64, limit: Int) throws(TwinStoreError) -> [StoredWorkflow] {
        try feed(.workflows, repository, afterSequence, limit) { row in
            StoredWorkflow(
                repository: row["repository"], id: row["id"], name: row["name"], path: row["path"],
                state: row["state"], seq: row["seq"], deleted: row["deleted"])
        }
    }

    public func workflowRuns(
        repository: String, afterSequence: Int64, limit: Int
    ) throws(TwinStoreError) -> [StoredWorkflowRun] {
        try feed(.workflowRuns, repository, afterSequence, limit) { row in
            StoredWorkflowRun(
                repository: row["repository"], id: row["id"], workflowId: row["workflow_id"], name: row["name"],
                headBranch: row["head_branch"], headSha: row["head_sha"], event: row["event"],
                status: row["status"], conclusion: row["conclusion"], runAttempt: row["run_attempt"],
                runNumber: row["run_number"], createdAt: row.date("created_at"),
                runStartedAt: row.optionalDate("run_started_at"), updatedAt: row.date("updated_at"),
                seq: row["seq"], deleted: row["deleted"])
        }
    }

    public func deployments(
        repository: String, afterSequence: Int64, limit: Int
    ) throws(TwinStoreError) -> [StoredDeployment] {
        try feed(.deployments, repository, afterSequence, limit) { row in
            StoredDeployment(
                repository: row["repository"], id: row["id"], sha: row["sha"], ref: row["ref"],
                environment: row["environment"], createdAt: row.date("created_at"),
                updatedAt: row.date("updated_at"), latestState: row["latest_state"],
                latestStateAt: row.optionalDate("latest_state_at"), seq: row["seq"], deleted: row["deleted"])
        }
    }

    /// The highest `seq` of any row of the repository (0 when it has none).
    public func maxSequence(repository: String) throws(TwinStoreError) -> Int64 {
        try read { db in
            let union = StoreEntity.allCases
                .map { "SELECT MAX(seq) AS s FROM \($0.rawValue) WHERE repository = ?" }
                .joined(separator: " UNION ALL ")
            let arguments = StatementArguments(Array(repeating: repository, count: StoreEntity.allCases.count))
            return try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(s), 0) FROM (\(union))", arguments: arguments) ?? 0
        }
    }

    private func feed<T>(
        _ entity: StoreEntity, _ repository: String, _ afterSequence: Int64, _ limit: Int,
        _ map: (Row) -> T
    ) throws(TwinStoreError) -> [T] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM \(entity.rawValue) WHERE repository = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [repository, afterSequence, max(0, limit)]
            ).map(map)
        }
    }
}
