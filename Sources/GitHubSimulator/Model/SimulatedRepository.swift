import Foundation

/// A repository served by the simulated GitHub: its commits, tags, releases, issues, workflows, runs and
/// deployments. A value type, deterministic from the inputs that made it.
public struct SimulatedRepository: Sendable, Hashable {
    public var owner: String
    public var name: String
    /// GitHub's numeric repository id.
    public var id: Int
    public var defaultBranch: String
    /// Oldest first; parents always before children. The head of the default branch is the last commit.
    public var commits: [SimCommit]
    public var tags: [SimTag]
    public var releases: [SimRelease]
    public var issues: [SimIssue]
    public var workflows: [SimWorkflow]
    public var runs: [SimWorkflowRun]
    public var deployments: [SimDeployment]
    /// When the repository was created (GitHub's `created_at`).
    public var createdAt: Date
    /// Archived repositories stay readable; organisation discovery reports them so a sync can skip them.
    public var archived: Bool
    /// True for a fork of another repository (discovery filters them with `type=forks`/`sources`).
    public var fork: Bool
    /// GitHub topics, e.g. "team-payments": what teams and selectors are matched on.
    public var topics: [String]
    /// Public, private or internal; `private` in the JSON is derived from it.
    public var visibility: SimulatedVisibility

    /// Creates a repository from explicit contents.
    public init(
        owner: String, name: String, id: Int? = nil, defaultBranch: String = "main", commits: [SimCommit] = [],
        tags: [SimTag] = [], releases: [SimRelease] = [], issues: [SimIssue] = [], workflows: [SimWorkflow] = [],
        runs: [SimWorkflowRun] = [], deployments: [SimDeployment] = [], createdAt: Date? = nil,
        archived: Bool = false, fork: Bool = false, topics: [String] = [], visibility: SimulatedVisibility = .public
    ) {
        self.owner = owner
        self.name = name
        self.id = id ?? Self.repositoryID(for: "\(owner)/\(name)")
        self.defaultBranch = defaultBranch
        self.commits = commits
        self.tags = tags
        self.releases = releases
        self.issues = issues
        self.workflows = workflows
        self.runs = runs
        self.deployments = deployments
        self.createdAt = createdAt ?? commits.first?.committerDate ?? Date(timeIntervalSince1970: 1_577_836_800)
        self.archived = archived
        self.fork = fork
        self.topics = topics
        self.visibility = visibility
    }

    /// "owner/name".
    public var fullName: String { "\(owner)/\(name)" }

    /// The sha at the head of the default branch (the last commit), nil for an empty repository.
    public var headSha: String? { commits.last?.sha }

    /// The deterministic numeric GitHub id the simulator gives a user login.
    public static func userID(forLogin login: String) -> Int {
        Int(SplitMix64.hash(login.lowercased()) % 90_000_000) + 1_000_000
    }

    static func repositoryID(for fullName: String) -> Int {
        Int(SplitMix64.hash(fullName.lowercased()) % 900_000_000) + 100_000_000
    }
}

/// A repository's visibility as GitHub reports it (`visibility`; `private` is true unless public).
public enum SimulatedVisibility: String, Sendable, Hashable, CaseIterable {
    case `public`
    case `private`
    case `internal`
}
