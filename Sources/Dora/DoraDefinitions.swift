import Foundation

/// The options of `docs/dora.md` for one repository. Defaults are the spec's defaults.
public struct DoraDefinitions: Sendable, Hashable {
    public enum DeploymentSource: Sendable, Hashable {
        /// Published releases; drafts never count; prereleases only when `includePrereleases`.
        case releases(includePrereleases: Bool)
        /// Git tags.
        case tags
        /// Runs of the named workflows (by name or file path) that deploy the tracked branch: `head_branch` is the
        /// tracked branch, or a tag whose commit is in its graph (spec v1.2).
        case workflow(names: [String])
        /// GitHub Deployments whose environment matches the regex (default `^production$`).
        case deployments(environmentPattern: String)
    }

    public enum CommitTime: String, Sendable, Hashable {
        case committed, authored
    }

    public enum Benchmark: String, Sendable, Hashable {
        case v2023 = "2023"
        case v2021 = "2021"
    }

    public var deploymentSource: DeploymentSource
    /// Optional regex filtering deployments: tag name (releases/tags), workflow run/release name, environment.
    public var deploymentPattern: String?
    /// Incident rules: each inner list is a set of labels that must all be present; rules are OR'ed.
    public var incidentRules: [[String]]
    /// Where incidents come from (spec v1.3): issues (default), alerts or both.
    public var incidentSource: IncidentSource = .issues
    /// How alerts become incidents, when `incidentSource` reads alerts.
    public var alerts: AlertDefinitions = AlertDefinitions()
    public var attributionWindow: TimeInterval
    public var includeBaseline: Bool
    public var commitTime: CommitTime
    public var trackedBranch: String
    /// Workflow names (or file paths) whose runs feed CI health.
    public var ciWorkflows: [String]
    public var benchmark: Benchmark

    public init(
        deploymentSource: DeploymentSource = .releases(includePrereleases: false),
        deploymentPattern: String? = nil,
        incidentRules: [[String]] = [["incident"]],
        attributionWindow: TimeInterval = 7 * 86_400,
        includeBaseline: Bool = false,
        commitTime: CommitTime = .committed,
        trackedBranch: String = "main",
        ciWorkflows: [String] = [],
        benchmark: Benchmark = .v2023
    ) {
        self.deploymentSource = deploymentSource
        self.deploymentPattern = deploymentPattern
        self.incidentRules = incidentRules
        self.attributionWindow = attributionWindow
        self.includeBaseline = includeBaseline
        self.commitTime = commitTime
        self.trackedBranch = trackedBranch
        self.ciWorkflows = ciWorkflows
        self.benchmark = benchmark
    }
}
