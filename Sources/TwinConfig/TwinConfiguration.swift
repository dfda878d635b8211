import Dora
import Foundation

/// The validated configuration of devops-twin. Built only by `ConfigLoader`, so every value in it is
/// already checked: a `TwinConfiguration` cannot be invalid.
public struct TwinConfiguration: Sendable {
    public var github: GitHubSettings
    public var store: StoreSettings
    public var sync: SyncSettings
    public var exporter: ExporterSettings
    /// nil when Neo4j is not configured (embedded default).
    public var neo4j: Neo4jSettings?
    public var dora: DoraSettings
    public var repositories: [RepositorySettings]
    /// Teams or services: each a set of the configured repositories.
    public var groups: [GroupSettings]
    /// Organisations whose repositories are discovered (and synced next to `repositories`).
    public var organizations: [OrganizationSettings]
    /// This instance's shard (`restricted(to:)`); discovered repositories are restricted to it too.
    public var shard = ShardAssignment(index: 0, total: 1)
    /// The listed repositories and the groups as loaded, before sharding and discovery.
    var listedRepositories: [RepositorySettings]
    var loadedGroups: [GroupSettings]
    /// Every shard's repositories (listed and discovered): what `restricted(to:)` chose this shard's from.
    public internal(set) var allRepositories: [RepositorySettings]
    /// Lowercased repository name → owning shard, for every shard's repositories (empty when unsharded).
    var owners: [String: Int] = [:]
    /// nil when the webhook receiver is off (the default).
    public var webhooks: WebhookSettings?

    public init(
        github: GitHubSettings = GitHubSettings(), store: StoreSettings = StoreSettings(),
        sync: SyncSettings = SyncSettings(), exporter: ExporterSettings = ExporterSettings(),
        neo4j: Neo4jSettings? = nil, dora: DoraSettings = DoraSettings(), repositories: [RepositorySettings],
        groups: [GroupSettings] = [], organizations: [OrganizationSettings] = [], webhooks: WebhookSettings? = nil
    ) {
        self.groups = groups
        self.organizations = organizations
        self.webhooks = webhooks
        self.github = github
        self.store = store
        self.sync = sync
        self.exporter = exporter
        self.neo4j = neo4j
        self.dora = dora
        self.repositories = repositories
        self.listedRepositories = repositories
        self.loadedGroups = groups
        self.allRepositories = repositories
    }

    /// The configuration with `discovered` repositories next to the listed ones (a listed repository wins over a
    /// discovered one of the same name), group members matched anew, restricted to this instance's shard.
    public func withDiscovered(_ discovered: [RepositorySettings]) -> TwinConfiguration {
        var copy = self
        var names = Set(listedRepositories.map { $0.name.lowercased() })
        var all = listedRepositories
        for repository in discovered where names.insert(repository.name.lowercased()).inserted {
            all.append(repository)
        }
        copy.repositories = all
        copy.groups = loadedGroups.map { group in
            var group = group
            group.repositories = all.map(\.name).filter { name in group.patterns.contains { GroupSettings.matches(name, pattern: $0) } }
            return group
        }.filter { !$0.repositories.isEmpty }
        let shard = self.shard
        copy.shard = ShardAssignment(index: 0, total: 1)
        return copy.restricted(to: shard)
    }
}

/// A secret value (token, password): never printed. `description` is always redacted.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    /// Where it was read from, when a file or a variable the configuration names (the effective configuration
    /// says so); not part of equality.
    public let source: SecretSource?

    public init(_ value: String, source: SecretSource? = nil) {
        self.value = value
        self.source = source
    }

    public static func == (lhs: Secret, rhs: Secret) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

public struct GitHubSettings: Sendable {
    /// `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. No trailing slash.
    public var apiURL: String = "https://api.github.com"
    public var apiVersion: String = "2022-11-28"
    public var userAgent: String = "devops-twin"
    /// From `GITHUB_TOKEN`, or the file named by `github.tokenFile` / `GITHUB_TOKEN_FILE`. nil: unauthenticated.
    public var token: Secret?
    /// Longest wait for a primary rate-limit reset before the sync stops with `rate_limited`.
    public var maxRateLimitWait: TimeInterval = 900
    public var requestTimeout: TimeInterval = 30
    /// Retries of 5xx, timeouts and connection failures per request.
    public var maxRetries: Int = 4
    /// GitHub Apps to authenticate as (`github.app`, `github.apps`, `GITHUB_APP_ID` + `GITHUB_APP_PRIVATE_KEY[_FILE]`).
    public var apps: [GitHubAppSettings] = []
    /// Further personal access tokens, each for the repositories of its owners (`github.tokens`).
    public var tokens: [TokenCredentialSettings] = []

    public init() {}
}

public struct StoreSettings: Sendable {
    public var path: String = "./data/devops-twin.sqlite"
    public init() {}
}

public struct SyncSettings: Sendable {
    public var interval: TimeInterval = 900
    /// Repositories synced at once per credential (requests of one credential are serialised, as GitHub asks).
    public var concurrency: Int = 2
    /// The first pass of every repository reaches back this far, so that each has numbers early; later passes
    /// deepen the history to `since`. 0 turns progressive sync off (each repository's first sync is whole).
    public var shallowHorizon: TimeInterval = 90 * 86_400
    /// Requests of each credential's rate limit the planner leaves unspent (for other tools and for `report`).
    public var budgetReserve: Int = 250
    public init() {}
}

public struct ExporterSettings: Sendable {
    public var listenHost: String = "127.0.0.1"
    public var listenPort: Int = 9866
    /// Optional basic auth for /metrics (the password from `exporter.basicAuth.passwordFile` or `DEVOPS_TWIN_METRICS_PASSWORD`).
    public var basicAuthUser: String?
    public var basicAuthPassword: Secret?
    /// Optional TLS for the exporter (`exporter.tls`); nil serves plain HTTP.
    public var tls: TLS?
    /// Metric families left out of `/metrics` (`exporter.exclude.families`), names as in the text format.
    public var excludeFamilies: [String] = []
    /// Windows whose series are left out of `/metrics` (`exporter.exclude.windows`); reports keep them.
    public var excludeWindows: [String] = []
    public init() {}

    /// PEM files for HTTPS, as exporter-toolkit's `tls_server_config` (`cert_file`, `key_file`, `client_ca_file`).
    /// Paths only: the exporter reads and parses them when it starts.
    public struct TLS: Sendable, Hashable {
        /// The server certificate chain (PEM), leaf first.
        public var certFile: String
        /// The private key of the leaf certificate (PEM).
        public var keyFile: String
        /// When set, clients must present a certificate signed by one of these CAs (PEM): mutual TLS.
        public var clientCAFile: String?

        public init(certFile: String, keyFile: String, clientCAFile: String? = nil) {
            self.certFile = certFile
            self.keyFile = keyFile
            self.clientCAFile = clientCAFile
        }
    }
}

public struct Neo4jSettings: Sendable {
    /// HTTP(S) URL of the server, e.g. `http://localhost:7474`.
    public var url: String
    public var database: String = "neo4j"
    public var user: String = "neo4j"
    /// From `NEO4J_PASSWORD`, or the file named by `neo4j.passwordFile` / `NEO4J_PASSWORD_FILE`.
    public var password: Secret?
    public var batchSize: Int = 1000
    public var requestTimeout: TimeInterval = 30

    public init(url: String) { self.url = url }
}

public struct DoraSettings: Sendable {
    public var windows: [DoraWindow] = DoraWindow.defaults + [.all]
    public var benchmark: DoraDefinitions.Benchmark = .v2023
    public init() {}
}

/// One configured repository: the logical unit every metric is labelled with.
public struct RepositorySettings: Sendable {
    /// `owner/name`; the `repository` label.
    public var name: String
    /// Where each kind of data comes from (the prototype allowed a different repository per kind).
    public var sources: DataSources
    /// The tracked branch.
    public var branch: String
    /// First sync goes back no further than this (nil: everything).
    public var since: Date?
    /// The DORA definitions for this repository (deployment source, patterns, incident rules, …).
    public var definitions: DoraDefinitions
    /// Found by discovery (`organizations`): the discovery listing describes it, so the sync does not ask
    /// `GET /repos/{owner}/{repo}` for it again.
    public var discovered = false

    public init(name: String, sources: DataSources, branch: String, since: Date?, definitions: DoraDefinitions) {
        self.name = name
        self.sources = sources
        self.branch = branch
        self.since = since
        self.definitions = definitions
    }
}

/// `owner/name` of the repository each kind of data is read from.
public struct DataSources: Sendable, Hashable {
    public var commits: String
    public var deployments: String
    public var issues: String
    public var workflowRuns: String

    public init(commits: String, deployments: String, issues: String, workflowRuns: String) {
        self.commits = commits
        self.deployments = deployments
        self.issues = issues
        self.workflowRuns = workflowRuns
    }

    public init(all repository: String) {
        self.init(commits: repository, deployments: repository, issues: repository, workflowRuns: repository)
    }
}
