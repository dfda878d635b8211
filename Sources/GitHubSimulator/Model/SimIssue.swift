import Foundation

/// An issue or pull request of a simulated repository (they share GitHub's number space).
public struct SimIssue: Sendable, Hashable, Codable {
    public var id: Int
    public var number: Int
    public var title: String
    /// Label names as written (case varies, like "Bug" and "bug").
    public var labels: [String]
    /// "open" or "closed".
    public var state: String
    /// "completed", "not_planned", "reopened" or nil.
    public var stateReason: String?
    public var createdAt: Date
    /// Always at or after the last change (creation, closing).
    public var updatedAt: Date
    public var closedAt: Date?
    /// True for pull requests (served with a `pull_request` object).
    public var isPullRequest: Bool
    /// Login of the author.
    public var userLogin: String
    /// For merged pull requests, when they were merged.
    public var mergedAt: Date?

    public init(
        id: Int, number: Int, title: String, labels: [String] = [], state: String = "open", stateReason: String? = nil,
        createdAt: Date, updatedAt: Date? = nil, closedAt: Date? = nil, isPullRequest: Bool = false,
        userLogin: String = "octocat", mergedAt: Date? = nil
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.labels = labels
        self.state = state
        self.stateReason = stateReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? closedAt ?? createdAt
        self.closedAt = closedAt
        self.isPullRequest = isPullRequest
        self.userLogin = userLogin
        self.mergedAt = mergedAt
    }
}
