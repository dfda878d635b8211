import Foundation

/// An item of `GET /repos/{o}/{r}/actions/runs`.
public struct GitHubWorkflowRun: Decodable, Sendable, Hashable {
    /// Run id (kept across re-runs).
    public var id: Int64
    /// Run name.
    public var name: String?
    /// Workflow id.
    public var workflowId: Int64
    /// Branch of the triggering push, if any.
    public var headBranch: String?
    /// Commit the run ran on.
    public var headSha: String
    /// Triggering event (`push`, `pull_request`, ...).
    public var event: String
    /// `queued`, `in_progress`, `completed`, ...
    public var status: String?
    /// `success`, `failure`, ...; `nil` until completed.
    public var conclusion: String?
    /// Attempt number (1 for the first attempt).
    public var runAttempt: Int?
    /// Run number within the workflow.
    public var runNumber: Int
    /// Creation time.
    public var createdAt: Date
    /// Last update (about the completion time for completed runs).
    public var updatedAt: Date
    /// Start of the latest attempt.
    public var runStartedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case workflowId = "workflow_id"
        case headBranch = "head_branch"
        case headSha = "head_sha"
        case event
        case status
        case conclusion
        case runAttempt = "run_attempt"
        case runNumber = "run_number"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case runStartedAt = "run_started_at"
    }

    /// Creates a run.
    public init(
        id: Int64, name: String?, workflowId: Int64, headBranch: String?, headSha: String, event: String,
        status: String?, conclusion: String?, runAttempt: Int?, runNumber: Int, createdAt: Date, updatedAt: Date,
        runStartedAt: Date?
    ) {
        self.id = id
        self.name = name
        self.workflowId = workflowId
        self.headBranch = headBranch
        self.headSha = headSha
        self.event = event
        self.status = status
        self.conclusion = conclusion
        self.runAttempt = runAttempt
        self.runNumber = runNumber
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.runStartedAt = runStartedAt
    }
}
