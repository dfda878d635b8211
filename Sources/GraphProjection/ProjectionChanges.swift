import TwinStore

/// The store rows (live and soft-deleted) changed since a watermark, read page by page from the change feed.
struct ProjectionChanges {
    var commits: [StoredCommit] = []
    var tags: [StoredTag] = []
    var releases: [StoredRelease] = []
    var issues: [StoredIssue] = []
    var workflows: [StoredWorkflow] = []
    var workflowRuns: [StoredWorkflowRun] = []
    var deployments: [StoredDeployment] = []

    var count: Int {
        commits.count + tags.count + releases.count + issues.count + workflows.count + workflowRuns.count + deployments.count
    }

    static func read(from store: TwinStore, repository: String, after watermark: Int64, pageSize: Int) throws -> ProjectionChanges {
        var changes = ProjectionChanges()
        changes.commits = try all(pageSize, watermark, \.seq) { try store.commits(repository: repository, afterSequence: $0, limit: $1) }
        changes.tags = try all(pageSize, watermark, \.seq) { try store.tags(repository: repository, afterSequence: $0, limit: $1) }
        changes.releases = try all(pageSize, watermark, \.seq) { try store.releases(repository: repository, afterSequence: $0, limit: $1) }
        changes.issues = try all(pageSize, watermark, \.seq) { try store.issues(repository: repository, afterSequence: $0, limit: $1) }
        changes.workflows = try all(pageSize, watermark, \.seq) { try store.workflows(repository: repository, afterSequence: $0, limit: $1) }
        changes.workflowRuns = try all(pageSize, watermark, \.seq) {
            try store.workflowRuns(repository: repository, afterSequence: $0, limit: $1)
        }
        changes.deployments = try all(pageSize, watermark, \.seq) {
            try store.deployments(repository: repository, afterSequence: $0, limit: $1)
        }
        return changes
    }

    private static func all<Row>(
        _ pageSize: Int, _ watermark: Int64, _ sequence: KeyPath<Row, Int64>, _ page: (Int64, Int) throws -> [Row]
    ) throws -> [Row] {
        var rows: [Row] = []
        var after = watermark
        while true {
            let batch = try page(after, pageSize)
            rows.append(contentsOf: batch)
            guard batch.count == pageSize, let last = batch.last else { return rows }
            after = last[keyPath: sequence]
        }
    }
}
