import Foundation

/// A GitHub Actions workflow run of a simulated repository.
public struct SimWorkflowRun: Sendable, Hashable, Codable {
    public var id: Int
    public var workflowId: Int
    public var name: String
    /// Branch of the push (or the tag name for release events); nil for some events.
    public var headBranch: String?
    public var headSha: String
    /// "push", "pull_request", "release", "schedule", "workflow_dispatch", ...
    public var event: String
    /// "queued", "in_progress" or "completed".
    public var status: String
    /// Nil until completed; "success", "failure", "cancelled", ...
    public var conclusion: String?
    /// 1 for the first attempt, higher after a re-run.
    public var runAttempt: Int
    public var runNumber: Int
    public var createdAt: Date
    /// Start of the latest attempt.
    public var runStartedAt: Date
    public var updatedAt: Date
    /// Login of the actor that triggered the run.
    public var actorLogin: String

    public init(
        id: Int, workflowId: Int, name: String, headBranch: String?, headSha: String, event: String = "push",
        status: String = "completed", conclusion: String? = "success", runAttempt: Int = 1, runNumber: Int,
        createdAt: Date, runStartedAt: Date? = nil, updatedAt: Date? = nil, actorLogin: String = "octocat"
    ) {
        self.id = id
        self.workflowId = workflowId
        self.name = name
        self.headBranch = headBranch
        self.headSha = headSha
        self.event = event
        self.status = status
        self.conclusion = conclusion
        self.runAttempt = runAttempt
        self.runNumber = runNumber
        self.createdAt = createdAt
        self.runStartedAt = runStartedAt ?? createdAt
        self.updatedAt = updatedAt ?? runStartedAt ?? createdAt
        self.actorLogin = actorLogin
    }
}
