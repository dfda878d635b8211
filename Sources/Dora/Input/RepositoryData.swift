import Foundation

/// Everything the engine needs for one repository: what the store holds, as plain values.
public struct RepositoryData: Sendable {
    public var repository: String
    /// Commits of the tracked branch (any order; the engine builds the graph).
    public var commits: [CommitRecord]
    public var tags: [TagRecord]
    public var releases: [ReleaseRecord]
    /// Issues and pull requests (the engine excludes pull requests).
    public var issues: [IssueRecord]
    public var workflowRuns: [WorkflowRunRecord]
    public var deployments: [DeploymentRecord]
    /// How far back this data reaches; windows beyond it are incomplete (spec v1.2 "Coverage").
    public var coverage: HistoryCoverage
    /// Alert signal records that may be this repository's (the engine selects and assigns them; spec v1.3).
    public var alertSignals: [AlertSignalRecord] = []
    /// Where the product's alert record starts (the first notification received or the earliest imported
    /// time); nil: no alert is recorded yet. Windows reaching back before it are incomplete when incidents
    /// include alerts.
    public var alertRecordStart: Date?

    public init(
        repository: String, commits: [CommitRecord] = [], tags: [TagRecord] = [], releases: [ReleaseRecord] = [],
        issues: [IssueRecord] = [], workflowRuns: [WorkflowRunRecord] = [], deployments: [DeploymentRecord] = [],
        coverage: HistoryCoverage = .complete
    ) {
        self.repository = repository
        self.commits = commits
        self.tags = tags
        self.releases = releases
        self.issues = issues
        self.workflowRuns = workflowRuns
        self.deployments = deployments
        self.coverage = coverage
    }
}
