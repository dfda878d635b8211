import Synchronization

/// The snapshot `/metrics` and the status page `/` serve. Publishing renders once and swaps under a mutex; reading is a lock and a copy
/// of a reference, so a scrape never waits on the work that produced the snapshot.
public final class SnapshotHolder: Sendable {
    private let current = Mutex<(rendered: RenderedSnapshot?, generation: UInt64)>((nil, 0))

    public init() {}

    /// Renders `snapshot` (both formats, gzip) and the status page from `statusPage` outside the lock, then makes
    /// them the ones served. On a rendering failure the previous snapshot stays served.
    public func publish(_ snapshot: MetricsSnapshot, statusPage: StatusPageContent? = nil) throws(ExporterError) {
        publish(try RenderedSnapshot(snapshot, statusPage: statusPage))
    }

    /// Makes an already rendered snapshot the one served.
    public func publish(_ rendered: RenderedSnapshot) {
        current.withLock { $0 = (rendered, $0.generation &+ 1) }
    }

    /// Publishes `rendered` only if nothing was published since `generation` was read (a derived snapshot must
    /// not replace a newer refresh); returns whether it did.
    public func publish(_ rendered: RenderedSnapshot, ifGeneration generation: UInt64) -> Bool {
        current.withLock {
            guard $0.generation == generation else { return false }
            $0 = (rendered, generation &+ 1)
            return true
        }
    }

    /// The snapshot served now; nil before the first publish.
    public var rendered: RenderedSnapshot? {
        current.withLock { $0.rendered }
    }

    /// The snapshot served now with its publication count, for `publish(_:ifGeneration:)`.
    public var renderedWithGeneration: (rendered: RenderedSnapshot?, generation: UInt64) {
        current.withLock { $0 }
    }

    /// Ready once a first snapshot exists.
    public var isReady: Bool { rendered != nil }
}
