import Foundation

/// An issue or pull request (from the issues listing), as stored.
public struct StoredIssue: Sendable, Hashable, Codable {
    public var repository: String
    public var number: Int
    public var id: Int64
    public var title: String
    /// `open` or `closed`.
    public var state: String
    public var stateReason: String?
    /// Label names.
    public var labels: [String]
    public var userLogin: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var closedAt: Date?
    public var isPullRequest: Bool
    public var seq: Int64
    public var deleted: Bool

    public init(
        repository: String, number: Int, id: Int64, title: String, state: String, stateReason: String? = nil,
        labels: [String] = [], userLogin: String? = nil, createdAt: Date, updatedAt: Date, closedAt: Date? = nil,
        isPullRequest: Bool = false, seq: Int64 = 0, deleted: Bool = false
    ) {
        self.repository = repository
        self.number = number
        self.id = id
        self.title = title
        self.state = state
        self.stateReason = stateReason
        self.labels = labels
        self.userLogin = userLogin
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.closedAt = closedAt
        self.isPullRequest = isPullRequest
        self.seq = seq
        self.deleted = deleted
    }
}
