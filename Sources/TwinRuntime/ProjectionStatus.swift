import Synchronization

/// Whether the daemon's last Neo4j calls succeeded (0 until the first projection proves it up).
final class ProjectionStatus: Sendable {
    private let state = Mutex(false)

    var neo4jUp: Bool { state.withLock { $0 } }

    func set(up: Bool) { state.withLock { $0 = up } }
}
