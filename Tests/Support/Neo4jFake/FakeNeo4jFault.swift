/// A failure the fake produces on demand, for the next `count` matching requests.
public enum FakeNeo4jFault: Sendable, Equatable {
    /// HTTP 503 with an empty body (a server starting or behind a failing proxy).
    case unavailable
    /// Never answers (until the fault is cleared or the server stops).
    case hang
    /// Answers a Neo4j error in the flavour's shape (default: a deadlock, which is transient).
    case neo4jError(code: String, message: String)

    public static let deadlock = FakeNeo4jFault.neo4jError(
        code: "Neo.TransientError.Transaction.DeadlockDetected",
        message: "ForsetiClient[1] can't acquire ExclusiveLock{owner=ForsetiClient[2]} (fake)")
}
