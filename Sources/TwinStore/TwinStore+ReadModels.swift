import Dora
import Foundation
import GRDB

extension TwinStore {
    /// The DORA engine's input for one repository: every live (not deleted) row, as plain values.
    public func repositoryData(_ repository: String) throws(TwinStoreError) -> RepositoryData {
        try read { db in
            var data = RepositoryData(repository: repository)
            let arguments: StatementArguments = [repository]
            let commitRows = try Row.fetchCursor(
                db, sql: "SELECT sha, parents, authored_at, committed_at FROM commits WHERE repository = ? AND deleted = 0",
                arguments: arguments)
            while let row = try commitRows.next() {
                data.commits.append(
                    CommitRecord(
                        sha: row["sha"], parents: StoreJSON.decodeStrings(row["parents"]),
                        authoredAt: row.date("authored_at"), committedAt: row.date("committed_at")))
            }
            data.tags = try Row.fetchAll(
                db, sql: "SELECT name, commit_sha, tagger_date FROM tags WHERE repository = ? AND deleted = 0 ORDER BY name",
                arguments: arguments
            ).map { TagRecord(name: $0["name"], commitSha: $0["commit_sha"], taggerDate: $0.optionalDate("tagger_date")) }
            data.releases = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, tag_name, name, draft, prerelease, published_at, commit_sha FROM releases
                    WHERE repository = ? AND deleted = 0 ORDER BY id
                    """,
                arguments: arguments
            ).map {
                ReleaseRecord(
                    id: $0["id"], tagName: $0["tag_name"], name: $0["name"], draft: $0["draft"],
                    prerelease: $0["prerelease"], publishedAt: $0.optionalDate("published_at"),
                    commitSha: $0["commit_sha"])
            }
            data.issues = try Row.fetchAll(
                db,
                sql: """
                    SELECT number, title, is_pull_request, labels, state, state_reason, created_at, closed_at
                    FROM issues WHERE repository = ? AND deleted = 0 ORDER BY number
                    """,
                arguments: arguments
            ).map {
                IssueRecord(
                    number: $0["number"], title: $0["title"], isPullRequest: $0["is_pull_request"],
                    labels: StoreJSON.decodeStrings($0["labels"]), state: $0["state"],
                    stateReason: $0["state_reason"], createdAt: $0.date("created_at"),
                    closedAt: $0.optionalDate("closed_at"))
            }
            data.workflowRuns = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, r.workflow_id, COALESCE(w.name, r.name, '') AS workflow_name,
                    COALESCE(w.path, '') AS workflow_path, r.head_branch, r.head_sha, r.event, r.status,
                    r.conclusion, r.run_attempt, r.run_started_at, r.created_at, r.updated_at
                    FROM workflow_runs r
                    LEFT JOIN workflows w ON w.repository = r.repository AND w.id = r.workflow_id
                    WHERE r.repository = ? AND r.deleted = 0 ORDER BY r.id
                    """,
                arguments: arguments
            ).map {
                WorkflowRunRecord(
                    id: $0["id"], workflowId: $0["workflow_id"], workflowName: $0["workflow_name"],
                    workflowPath: $0["workflow_path"], headBranch: $0["head_branch"], headSha: $0["head_sha"],
                    event: $0["event"], status: $0["status"], conclusion: $0["conclusion"],
                    runAttempt: $0["run_attempt"], runStartedAt: $0.optionalDate("run_started_at"),
                    createdAt: $0.date("created_at"), updatedAt: $0.date("updated_at"))
            }
            var statuses: [Int64: [DeploymentStatusRecord]] = [:]
            let statusRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT s.deployment_id, s.id, s.state, s.created_at FROM deployment_statuses s
                    JOIN deployments d ON d.repository = s.repository AND d.id = s.deployment_id AND d.deleted = 0
                    WHERE s.repository = ? ORDER BY s.deployment_id, s.created_at, s.id
                    """,
                arguments: arguments)
            while let row = try statusRows.next() {
                statuses[row["deployment_id"], default: []].append(
                    DeploymentStatusRecord(id: row["id"], state: row["state"], createdAt: row.date("created_at")))
            }
            data.deployments = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, environment, sha, ref, created_at, latest_state, latest_state_at FROM deployments
                    WHERE repository = ? AND deleted = 0 ORDER BY id
                    """,
                arguments: arguments
            ).map {
                DeploymentRecord(
                    id: $0["id"], environment: $0["environment"], sha: $0["sha"], ref: $0["ref"],
                    createdAt: $0.date("created_at"), latestState: $0["latest_state"],
                    latestStateAt: $0.optionalDate("latest_state_at"), statuses: statuses[$0["id"]] ?? [])
            }
            return data
        }
    }

    /// Live rows per entity: `commits`, `tags`, `releases`, `issues` (without pull requests), `pull_requests`,
    /// `workflows`, `workflow_runs`, `deployments`.
    public func entityCounts(_ repository: String) throws(TwinStoreError) -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for entity in StoreEntity.allCases where entity != .issues {
                counts[entity.rawValue] =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM \(entity.rawValue) WHERE repository = ? AND deleted = 0",
                        arguments: [repository]) ?? 0
            }
            counts["issues"] =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM issues WHERE repository = ? AND deleted = 0 AND is_pull_request = 0",
                    arguments: [repository]) ?? 0
            counts["pull_requests"] =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM issues WHERE repository = ? AND deleted = 0 AND is_pull_request = 1",
                    arguments: [repository]) ?? 0
            return counts
        }
    }

    /// Every repository the store holds anything about (rows or sync history), sorted.
    public func repositories() throws(TwinStoreError) -> [String] {
        try read { db in
            let union = (StoreEntity.allCases.map(\.rawValue) + ["sync_runs", "sync_cursors"])
                .map { "SELECT DISTINCT repository FROM \($0)" }
                .joined(separator: " UNION ")
            return try String.fetchAll(db, sql: "SELECT repository FROM (\(union)) ORDER BY repository")
        }
    }
}
