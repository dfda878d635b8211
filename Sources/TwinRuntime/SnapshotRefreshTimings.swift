/// How long a snapshot refresh took: until the new `/metrics` was served, and until the status page was too.
public struct SnapshotRefreshTimings: Sendable, Hashable {
    public var metricsPublished: Duration
    public var total: Duration
    /// Repositories whose series were rendered again (the others' were reused).
    public var repositoriesRendered: Int
}
