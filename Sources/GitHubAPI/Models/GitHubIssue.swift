import Foundation

/// An item of `GET /repos/{o}/{r}/issues` (issues and pull requests).
public struct GitHubIssue: Decodable, Sendable, Hashable {
    /// Issue id.
    public var id: Int64
    /// Issue number in the repository.
    public var number: Int
    /// Title.
    public var title: String
    /// `open` or `closed`.
    public var state: String
    /// `completed`, `not_planned`, `reopened`, `duplicate` or `nil`.
    public var stateReason: String?
    /// Labels (objects or bare strings on the wire).
    public var labels: [GitHubLabel]
    /// Author.
    public var user: GitHubUser?
    /// Creation time.
    public var createdAt: Date
    /// Last update.
    public var updatedAt: Date
    /// Close time.
    public var closedAt: Date?
    /// True when the item is a pull request (it carries a `pull_request` key).
    public var isPullRequest: Bool

    enum CodingKeys: String, CodingKey {
        case id
        case number
        case title
        case state
        case stateReason = "state_reason"
        case labels
        case user
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case closedAt = "closed_at"
        case pullRequest = "pull_request"
    }

    /// Creates an issue.
    public init(
        id: Int64, number: Int, title: String, state: String, stateReason: String? = nil, labels: [GitHubLabel] = [],
        user: GitHubUser? = nil, createdAt: Date, updatedAt: Date, closedAt: Date? = nil, isPullRequest: Bool = false
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.state = state
        self.stateReason = stateReason
        self.labels = labels
        self.user = user
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.closedAt = closedAt
        self.isPullRequest = isPullRequest
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        number = try container.decode(Int.self, forKey: .number)
        title = try container.decode(String.self, forKey: .title)
        state = try container.decode(String.self, forKey: .state)
        stateReason = try container.decodeIfPresent(String.self, forKey: .stateReason)
        labels = try container.decodeIfPresent([GitHubLabel].self, forKey: .labels) ?? []
        user = try container.decodeIfPresent(GitHubUser.self, forKey: .user)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
        closedAt = try container.decodeIfPresent(Date.self, forKey: .closedAt)
        isPullRequest = container.contains(.pullRequest) && (try? container.decodeNil(forKey: .pullRequest)) == false
    }
}
