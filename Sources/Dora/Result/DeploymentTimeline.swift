import Foundation

/// The derived facts behind the metrics, in deployment order: what the Neo4j projection writes as
/// `FIRST_DEPLOYED`, `PREVIOUS` and `ATTRIBUTED_TO` relationships.
public struct DeploymentTimeline: Sendable, Hashable {
    public enum Origin: Sendable, Hashable {
        case release(id: Int64)
        case tag(name: String)
        case workflowRun(id: Int64)
        case deployment(id: Int64)
    }

    /// A successful deployment.
    public struct Deployment: Sendable, Hashable {
        /// Stable key, unique per repository: `release:<id>`, `tag:<name>`, `run:<id>`, `deployment:<id>`.
        public var key: String
        public var origin: Origin
        public var name: String
        public var commitSha: String
        public var time: Date
        /// False when its commit is not in the synced graph.
        public var tracked: Bool
        /// True for the repository's very first deployment (yields no lead-time samples unless `includeBaseline`).
        public var isBaseline: Bool
        /// Commits first deployed by this deployment, with `time - commit time` in seconds (skewed ones included, <= 0).
        public var firstDeployed: [FirstDeployedCommit]

        public init(key: String, origin: Origin, name: String, commitSha: String, time: Date, tracked: Bool, isBaseline: Bool, firstDeployed: [FirstDeployedCommit]) {
            self.key = key
            self.origin = origin
            self.name = name
            self.commitSha = commitSha
            self.time = time
            self.tracked = tracked
            self.isBaseline = isBaseline
            self.firstDeployed = firstDeployed
        }
    }

    public struct FirstDeployedCommit: Sendable, Hashable {
        public var sha: String
        public var leadTimeSeconds: Double

        public init(sha: String, leadTimeSeconds: Double) {
            self.sha = sha
            self.leadTimeSeconds = leadTimeSeconds
        }
    }

    /// A failed deployment attempt (sources `workflow`, `deployments`).
    public struct FailedAttempt: Sendable, Hashable {
        public var key: String
        public var origin: Origin
        public var commitSha: String
        public var time: Date

        public init(key: String, origin: Origin, commitSha: String, time: Date) {
            self.key = key
            self.origin = origin
            self.commitSha = commitSha
            self.time = time
        }
    }

    public struct Incident: Sendable, Hashable {
        public var number: Int
        public var openedAt: Date
        /// nil while open at `asOf`.
        public var closedAt: Date?
        /// Key of the deployment it is attributed to, if any.
        public var attributedTo: String?
        /// An issue, alerts, or both merged (spec v1.3); `number` is 0 for an incident of alerts only.
        public var origin: IncidentOrigin
        /// For incidents with alerts: the alert names and the `generatorURL`s of its signals.
        public var alertNames: [String]
        public var generatorURLs: [String]
        /// The issues in it.
        public var issueNumbers: [Int]

        public init(
            number: Int, openedAt: Date, closedAt: Date?, attributedTo: String?, origin: IncidentOrigin = .issue,
            alertNames: [String] = [], generatorURLs: [String] = [], issueNumbers: [Int]? = nil
        ) {
            self.number = number
            self.openedAt = openedAt
            self.closedAt = closedAt
            self.attributedTo = attributedTo
            self.origin = origin
            self.alertNames = alertNames
            self.generatorURLs = generatorURLs
            self.issueNumbers = issueNumbers ?? (origin == .alert ? [] : [number])
        }
    }

    /// Ordered by (time, commit sha).
    public var deployments: [Deployment]
    public var failedAttempts: [FailedAttempt]
    public var incidents: [Incident]

    public init(deployments: [Deployment], failedAttempts: [FailedAttempt], incidents: [Incident]) {
        self.deployments = deployments
        self.failedAttempts = failedAttempts
        self.incidents = incidents
    }
}
