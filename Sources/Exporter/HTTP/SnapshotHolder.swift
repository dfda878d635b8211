import Synchronization

/// The snapshot `/metrics` serves. Publishing renders once and swaps under a mutex; reading is a lock and a copy
/// of a reference, so a scrape never waits on the work that produced the snapshot.
public final class SnapshotHolder: Sendable {
    private let current = Mutex<RenderedSnapshot?>(nil)

    public init() {}

    /// Renders `snapshot` (both formats, gzip) outside the lock, then makes it the one served.
    /// On a rendering failure the previous snapshot stays served.
    public func publish(_ snapshot: MetricsSnapshot) throws(ExporterError) {
        publish(try RenderedSnapshot(snapshot))
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
