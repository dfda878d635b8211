import Synchronization

/// Counts what a client sent on behalf of one caller (a projection run): HTTP requests (retries and
/// discovery included) and statements.
public final class Neo4jRequestTally: Sendable {
    private let counts = Mutex<(requests: Int, statements: Int, retries: Int)>((0, 0, 0))

    public init() {}

    public var requests: Int { counts.withLock { $0.requests } }
    public var statements: Int { counts.withLock { $0.statements } }
    public var retries: Int { counts.withLock { $0.retries } }

    func recordRequest(statements: Int) {
        counts.withLock {
            $0.requests += 1
            $0.statements += statements
        }
    }

    func recordRetry() { counts.withLock { $0.retries += 1 } }
}
