import Synchronization

/// The snapshot `/metrics` and the status page `/` serve. Publishing renders once and swaps under a mutex; reading is a lock and a copy
/// of a reference, so a scrape never waits on the work that produced the snapshot.
public final class SnapshotHolder: Sendable {
    private let current = Mutex<RenderedSnapshot?>(nil)

    public init() {}

    /// Renders `snapshot` (both formats, gzip) and the status page from `statusPage` outside the lock, then makes
    /// them the ones served. On a rendering failure the previous snapshot stays served.
    public func publish(_ snapshot: MetricsSnapshot, statusPage: StatusPageContent? = nil) throws(ExporterError) {
        publish(try RenderedSnapshot(snapshot, statusPage: statusPage))
    }

    /// Makes an already rendered snapshot the one served.
    public func publish(_ rendered: RenderedSnapshot) {
        current.withLock { $0 = rendered }
    }

    /// The snapshot served now; nil before the first publish.
    public var rendered: RenderedSnapshot? {
        current.withLock { $0 }
    }

    /// Ready once a first snapshot exists.
    public var isReady: Bool { rendered != nil }
}
