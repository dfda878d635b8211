import Foundation

/// Everything one sync step writes, applied by `TwinStore.apply(_:)` in ONE transaction: the rows of a page,
/// the HTTP cache entries of the page and the cursor saying where to resume. A process killed at any point
/// leaves either all of it or none of it.
public struct StoreBatch: Sendable {
    public var commits: [StoredCommit] = []
    public var tags: [StoredTag] = []
    public var releases: [StoredRelease] = []
    public var issues: [StoredIssue] = []
    public var workflows: [StoredWorkflow] = []
    public var workflowRuns: [StoredWorkflowRun] = []
    public var deployments: [StoredDeployment] = []
    public var deploymentStatuses: [DeploymentStatusUpdate] = []
    /// Every status of a deployment, as one statuses fetch returned them (replaces what was stored).
    public var deploymentStatusHistories: [DeploymentStatusHistory] = []
    public var httpCache: [HTTPCacheEntry] = []
    public var cursors: [CursorUpdate] = []
    /// How far back streams now reach, written with the page and cursor that made it so.
    public var coverage: [CoverageUpdate] = []
    public var softDeletions: [SoftDeletion] = []
    /// Repositories whose releases get their commit re-read from their (live) tags.
    public var refreshReleaseCommits: [String] = []

    public init() {}

    /// Whether the batch writes nothing.
    public var isEmpty: Bool {
        commits.isEmpty && tags.isEmpty && releases.isEmpty && issues.isEmpty && workflows.isEmpty
            && workflowRuns.isEmpty && deployments.isEmpty && deploymentStatuses.isEmpty
            && deploymentStatusHistories.isEmpty && httpCache.isEmpty
            && cursors.isEmpty && coverage.isEmpty && softDeletions.isEmpty && refreshReleaseCommits.isEmpty
    }

    /// The latest status of a deployment.
    public struct DeploymentStatusUpdate: Sendable, Hashable {
        public var repository: String
        public var deploymentId: Int64
        public var state: String?
        public var at: Date?
        public init(repository: String, deploymentId: Int64, state: String?, at: Date?) {
            self.repository = repository
            self.deploymentId = deploymentId
            self.state = state
            self.at = at
        }
    }

    /// Every status of one deployment, from one `GET /deployments/{id}/statuses`. Applying it replaces the stored
    /// statuses, sets the latest state from them and marks the deployment's statuses synced; the deployment's
    /// `seq` changes only when its statuses did.
    public struct DeploymentStatusHistory: Sendable, Hashable {
        public struct Status: Sendable, Hashable {
            public var id: Int64
            public var state: String
            public var createdAt: Date
            public init(id: Int64, state: String, createdAt: Date) {
                self.id = id
                self.state = state
                self.createdAt = createdAt
            }
        }

        public var repository: String
        public var deploymentId: Int64
        public var statuses: [Status]
        public init(repository: String, deploymentId: Int64, statuses: [Status]) {
            self.repository = repository
            self.deploymentId = deploymentId
            self.statuses = statuses
        }
    }

    /// A sync cursor: JSON state of one stream of one repository (nil state removes it).
    public struct CursorUpdate: Sendable, Hashable {
        public var repository: String
        public var stream: String
        public var state: String?
        public init(repository: String, stream: String, state: String?) {
            self.repository = repository
            self.stream = stream
            self.state = state
        }
    }

    /// How far back one stream of one repository is synced: whole from `from` on, or `complete` (back to the
    /// configured `since`).
    public struct CoverageUpdate: Sendable, Hashable {
        public var repository: String
        public var stream: String
        public var from: Date?
        public var complete: Bool
        public init(repository: String, stream: String, from: Date?, complete: Bool) {
            self.repository = repository
            self.stream = stream
            self.from = from
            self.complete = complete
        }
    }

    /// A soft delete: rows get `deleted = 1` and a new `seq`.
    public enum SoftDeletion: Sendable, Hashable {
        /// Commits of the repository no longer reachable (through stored parents) from `head`.
        case commitsUnreachable(repository: String, head: String)
        /// Live rows of `entity` whose natural key is not in `keep` (after a complete listing).
        case missing(repository: String, entity: StoreEntity, keep: Set<String>)
        /// One row by natural key (e.g. a workflow run GitHub answers 404 for).
        case row(repository: String, entity: StoreEntity, key: String)
    }
}

/// What `TwinStore.apply(_:)` changed: rows inserted or updated (seq bumped) and rows soft-deleted, by entity.
public struct StoreBatchResult: Sendable, Hashable {
    public var stored: [StoreEntity: Int] = [:]
    public var deleted: [StoreEntity: Int] = [:]
    public init() {}
}
