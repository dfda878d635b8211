import Foundation

/// A GitHub organisation whose repositories are discovered rather than listed (`organizations` in config.json):
/// filters say which of them are synced, `defaults` and `overrides` give them their settings.
public struct OrganizationSettings: Sendable {
    /// The organisation's login (`acme`).
    public var name: String
    /// Patterns a repository's name must match (`*`, `web-*`; with or without `acme/`). Default: every repository.
    public var include: [String]
    /// Patterns that take a repository out even when included.
    public var exclude: [String]
    /// When not empty, a repository must carry at least one of these topics.
    public var topics: [String]
    /// Whether archived repositories are synced (default false).
    public var archived: Bool
    /// Whether forks are synced (default false).
    public var forks: Bool
    /// Builds a discovered repository's settings from `defaults` and the `overrides` that match it.
    let template: @Sendable (DiscoveredRepository) throws(ConfigError) -> RepositorySettings
    /// The organisation as configured, for `check-config`'s effective configuration.
    var source: JSONValue = .null

    public init(
        name: String, include: [String] = ["*"], exclude: [String] = [], topics: [String] = [], archived: Bool = false,
        forks: Bool = false,
        template: @escaping @Sendable (DiscoveredRepository) throws(ConfigError) -> RepositorySettings
    ) {
        self.name = name
        self.include = include
        self.exclude = exclude
        self.topics = topics
        self.archived = archived
        self.forks = forks
        self.template = template
    }

    /// Whether the filters let `repository` (one of this organisation's) be synced.
    public func admits(_ repository: DiscoveredRepository) -> Bool {
        exclusion(of: repository) == nil
    }

    /// Why the filters keep `repository` out (`archived`, `fork`, `not included`, …); nil when it is synced.
    public func exclusion(of repository: DiscoveredRepository) -> String? {
        guard repository.owner.lowercased() == name.lowercased() else { return "not in \(name)" }
        if repository.archived && !archived { return "archived" }
        if repository.fork && !forks { return "fork" }
        if !topics.isEmpty {
            let wanted = Set(topics.map { $0.lowercased() })
            guard repository.topics.contains(where: { wanted.contains($0.lowercased()) }) else {
                return "no topic of \(topics.joined(separator: ", "))"
            }
        }
        func matches(_ pattern: String) -> Bool {
            let full = pattern.contains("/") ? pattern : "\(name)/\(pattern)"
            return GroupSettings.matches(repository.fullName, pattern: full)
        }
        guard include.contains(where: matches) else { return "matches no include" }
        if let pattern = exclude.first(where: matches) { return "excluded by \(pattern)" }
        return nil
    }

    /// The settings a discovered repository is synced and measured with.
    public func settings(for repository: DiscoveredRepository) throws(ConfigError) -> RepositorySettings {
        var settings = try template(repository)
        settings.discovered = true
        return settings
    }
}

/// A repository as a discovery listing describes it (`GET /orgs/{org}/repos`, `GET /installation/repositories`).
public struct DiscoveredRepository: Sendable, Hashable, Codable {
    /// `owner/name`.
    public var fullName: String
    public var defaultBranch: String
    public var archived: Bool
    public var fork: Bool
    public var topics: [String]

    public init(fullName: String, defaultBranch: String, archived: Bool = false, fork: Bool = false, topics: [String] = []) {
        self.fullName = fullName
        self.defaultBranch = defaultBranch
        self.archived = archived
        self.fork = fork
        self.topics = topics
    }

    public var owner: String { String(fullName.split(separator: "/", maxSplits: 1).first ?? "") }
}

/// A GitHub App the twin authenticates as (`github.app`, `github.apps`): its installations are found at start.
public struct GitHubAppSettings: Sendable {
    /// The App's id (the JWT's `iss`).
    public var id: String
    /// The App's private key, PEM; never printed.
    public var privateKey: Secret

    public init(id: String, privateKey: Secret) {
        self.id = id
        self.privateKey = privateKey
    }
}

/// A further personal access token (`github.tokens`), used for the repositories of `owners`.
public struct TokenCredentialSettings: Sendable {
    /// The `credential` label on /metrics (never the token).
    public var name: String
    public var token: Secret
    /// Owners (users or organisations) whose repositories this token syncs.
    public var owners: [String]

    public init(name: String, token: Secret, owners: [String]) {
        self.name = name
        self.token = token
        self.owners = owners
    }
}
