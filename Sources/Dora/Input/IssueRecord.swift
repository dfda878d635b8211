import Foundation

/// An issue or pull request as listed by `GET /repos/{o}/{r}/issues`.
public struct IssueRecord: Sendable, Hashable {
    public var number: Int
    public var title: String
    public var isPullRequest: Bool
    /// Label names as GitHub spells them (compared case-insensitively by the engine).
    public var labels: [String]
    /// `open` or `closed`.
    public var state: String
    /// `completed`, `not_planned`, `reopened`, `duplicate`, … or nil.
    public var stateReason: String?
    public var createdAt: Date
    public var closedAt: Date?

    public init(
        number: Int, title: String = "", isPullRequest: Bool = false, labels: [String], state: String,
        stateReason: String? = nil, createdAt: Date, closedAt: Date?
    ) {
        self.number = number
        self.title = title
        self.isPullRequest = isPullRequest
        self.labels = labels
        self.state = state
        self.stateReason = stateReason
        self.createdAt = createdAt
        self.closedAt = closedAt
    }
}
