import Foundation

/// A GitHub Actions workflow run (latest attempt), as stored.
public struct StoredWorkflowRun: Sendable, Hashable, Codable {
    public var repository: String
    public var id: Int64
    public var workflowId: Int64
    public var name: String?
    public var headBranch: String?
    public var headSha: String
    public var event: String
    /// `queued`, `in_progress`, `completed`, …
    public var status: String
    public var conclusion: String?
    public var runAttempt: Int
    public var runNumber: Int
    public var createdAt: Date
    public var runStartedAt: Date?
    public var updatedAt: Date
    public var seq: Int64
    public var deleted: Bool

    public init(
        repository: String, id: Int64, workflowId: Int64, name: String? = nil, headBranch: String? = nil,
        headSha: String, event: String = "push", status: String, conclusion: String? = nil, runAttempt: Int = 1,
        runNumber: Int = 1, createdAt: Date, runStartedAt: Date? = nil, updatedAt: Date, seq: Int64 = 0,
        deleted: Bool = false
    ) {
        self.repository = repository
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
        self.runStartedAt = runStartedAt
        self.updatedAt = updatedAt
        self.seq = seq
        self.deleted = deleted
    }
}
