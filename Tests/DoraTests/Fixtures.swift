import Foundation

@testable import Dora

/// Small builders for hand-computed cases. Times are days (and hours) after 2024-01-01T00:00:00Z.
enum Fixtures {
    static let epoch = 1_704_067_200.0
    static let day = 86_400.0
    static let hour = 3_600.0

    static func at(_ days: Double, _ hours: Double = 0) -> Date {
        Date(timeIntervalSince1970: epoch + days * day + hours * hour)
    }

    static func commit(_ sha: String, _ parents: [String] = [], _ days: Double, authored: Double? = nil) -> CommitRecord {
        CommitRecord(sha: sha, parents: parents, authoredAt: at(authored ?? days), committedAt: at(days))
    }

    /// A linear history `c0 <- c1 <- …` with commit `i` at day `days[i]`.
    static func linear(_ days: [Double], prefix: String = "c") -> [CommitRecord] {
        days.enumerated().map { i, d in commit("\(prefix)\(i)", i == 0 ? [] : ["\(prefix)\(i - 1)"], d) }
    }

    static func release(_ id: Int64, _ tag: String, _ published: Date?, _ sha: String?, draft: Bool = false, prerelease: Bool = false)
        -> ReleaseRecord
    {
        ReleaseRecord(id: id, tagName: tag, draft: draft, prerelease: prerelease, publishedAt: published, commitSha: sha)
    }

    static func issue(
        _ number: Int, _ opened: Date, closed: Date? = nil, labels: [String] = ["incident"], pr: Bool = false,
        reason: String? = nil, state: String? = nil
    ) -> IssueRecord {
        IssueRecord(
            number: number, isPullRequest: pr, labels: labels, state: state ?? (closed == nil ? "open" : "closed"),
            stateReason: reason, createdAt: opened, closedAt: closed)
    }

    static func run(
        _ id: Int64, _ name: String = "deploy", branch: String? = "main", sha: String = "c0", status: String = "completed",
        conclusion: String?, attempt: Int = 1, started: Date? = nil, updated: Date, path: String = ""
    ) -> WorkflowRunRecord {
        WorkflowRunRecord(
            id: id, workflowId: 1, workflowName: name, workflowPath: path, headBranch: branch, headSha: sha, status: status,
            conclusion: conclusion, runAttempt: attempt, runStartedAt: started, createdAt: started ?? updated, updatedAt: updated)
    }

    static func deployment(_ id: Int64, env: String = "production", sha: String = "c0", state: String?, at time: Date?)
        -> DeploymentRecord
    {
        DeploymentRecord(
            id: id, environment: env, sha: sha, createdAt: time ?? at(0), latestState: state, latestStateAt: time)
    }

    /// A deployment with its whole status history, `(state, time)` oldest first (status ids follow the order).
    static func deployment(_ id: Int64, env: String = "production", sha: String = "c0", statuses: [(String, Date)])
        -> DeploymentRecord
    {
        let records = statuses.enumerated().map {
            DeploymentStatusRecord(id: id * 100 + Int64($0.offset), state: $0.element.0, createdAt: $0.element.1)
        }
        let latest = records.last
        return DeploymentRecord(
            id: id, environment: env, sha: sha, createdAt: statuses.first?.1 ?? at(0), latestState: latest?.state,
            latestStateAt: latest?.createdAt, statuses: records)
    }

    static func report(
        _ data: RepositoryData, _ definitions: DoraDefinitions = DoraDefinitions(), windows: [DoraWindow] = [.all],
        asOf: Date
    ) throws -> RepositoryReport {
        try DoraEngine.report(for: data, definitions: definitions, windows: windows, asOf: asOf)
    }

    static func window(
        _ data: RepositoryData, _ definitions: DoraDefinitions = DoraDefinitions(), window: DoraWindow = .all, asOf: Date
    ) throws -> WindowMetrics {
        let result = try report(data, definitions, windows: [window], asOf: asOf)
        return result.windows[0]
    }
}
