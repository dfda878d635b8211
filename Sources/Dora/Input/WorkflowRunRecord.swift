import Foundation

/// A GitHub Actions workflow run (its latest attempt, as the runs listing returns it).
public struct WorkflowRunRecord: Sendable, Hashable {
    public var id: Int64
    public var workflowId: Int64
    /// The workflow's name (matched against `ciWorkflows` / the `workflow` deployment source).
    public var workflowName: String
    /// The workflow file path, e.g. `.github/workflows/deploy.yml` (also matched).
    public var workflowPath: String
    public var headBranch: String?
    public var headSha: String
    public var event: String
    /// `queued`, `in_progress`, `completed`, …
    public var status: String
    /// `success`, `failure`, `timed_out`, `cancelled`, `skipped`, … or nil while running.
    public var conclusion: String?
    public var runAttempt: Int
    public var runStartedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, workflowId: Int64, workflowName: String, workflowPath: String = "", headBranch: String?,
        headSha: String, event: String = "push", status: String, conclusion: String?, runAttempt: Int = 1,
        runStartedAt: Date?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.workflowId = workflowId
        self.workflowName = workflowName
        self.workflowPath = workflowPath
        self.headBranch = headBranch
        self.headSha = headSha
        self.event = event
        self.status = status
        self.conclusion = conclusion
        self.runAttempt = runAttempt
        self.runStartedAt = runStartedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
