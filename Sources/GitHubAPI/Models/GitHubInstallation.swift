import Foundation

/// A GitHub App installation (`GET /app/installations`, `GET /orgs/{org}/installation`): the fields the twin uses.
public struct GitHubInstallation: Decodable, Sendable, Hashable {
    public struct Account: Decodable, Sendable, Hashable {
        public var login: String
    }

    public var id: Int64
    public var account: Account?
    /// `all` or `selected`.
    public var repositorySelection: String?

    enum CodingKeys: String, CodingKey {
        case id, account
        case repositorySelection = "repository_selection"
    }
}

/// `POST /app/installations/{id}/access_tokens`: an installation token and when it expires.
public struct GitHubInstallationToken: Decodable, Sendable {
    public var token: String
    public var expiresAt: Date

    enum CodingKeys: String, CodingKey {
        case token
        case expiresAt = "expires_at"
    }
}

/// A repository as listings return it (`GET /orgs/{org}/repos`, `GET /installation/repositories`).
public struct GitHubListedRepository: Decodable, Sendable, Hashable {
    public var id: Int64
    public var fullName: String
    public var defaultBranch: String?
    public var archived: Bool?
    public var fork: Bool
    public var topics: [String]?
    public var disabled: Bool?

    enum CodingKeys: String, CodingKey {
        case id, archived, fork, topics, disabled
        case fullName = "full_name"
        case defaultBranch = "default_branch"
    }

    public init(
        id: Int64, fullName: String, defaultBranch: String?, archived: Bool?, fork: Bool, topics: [String]?,
        disabled: Bool? = nil
    ) {
        self.id = id
        self.fullName = fullName
        self.defaultBranch = defaultBranch
        self.archived = archived
        self.fork = fork
        self.topics = topics
        self.disabled = disabled
    }
}

/// `GET /installation/repositories`.
public struct GitHubInstallationRepositories: Decodable, Sendable {
    public var totalCount: Int
    public var repositories: [GitHubListedRepository]

    enum CodingKeys: String, CodingKey {
        case repositories
        case totalCount = "total_count"
    }
}
