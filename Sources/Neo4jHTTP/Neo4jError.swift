/// Every failure of `Neo4jClient`: what went wrong, what Neo4j said, and what to do about it.
/// Never contains the password or token.
public struct Neo4jError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// 401 / `Neo.ClientError.Security.*`: wrong user, password or token.
        case unauthorized
        /// `Neo.ClientError.*` other than security (syntax, constraint, …): not retried.
        case client
        /// `Neo.TransientError.*`, retried; thrown once retries are exhausted.
        case transient
        /// `Neo.DatabaseError.*`: server-side failure.
        case database
        /// HTTP 5xx without a Neo4j error body, e.g. 503 during startup.
        case server
        /// The deadline of a call passed.
        case timeout
        /// Connection refused/reset, DNS, TLS.
        case transport
        /// The response could not be understood (not JSON, missing keys, unexpected status).
        case malformedResponse
        /// The configuration cannot work (bad URL).
        case configuration
        case cancelled
    }

    public var kind: Kind
    /// Method and path, e.g. "POST /db/neo4j/tx/commit" (never with credentials).
    public var endpoint: String
    /// HTTP status, when a response arrived.
    public var status: Int?
    /// Neo4j's status code, e.g. `Neo.ClientError.Statement.SyntaxError`.
    public var code: String?
    /// Neo4j's message, or a description of the transport failure.
    public var message: String?

    public init(kind: Kind, endpoint: String, status: Int? = nil, code: String? = nil, message: String? = nil) {
        self.kind = kind
        self.endpoint = endpoint
        self.status = status
        self.code = code
        self.message = message
    }

    /// True for errors worth retrying: transient codes, 5xx, timeouts, connection failures.
    public var isRetryable: Bool {
        switch kind {
        case .transient, .server, .timeout, .transport: return true
        default: return false
        }
    }

    public var description: String {
        var parts: [String] = []
        let said = [code, message].compactMap { $0 }.joined(separator: ": ")
        let status = self.status.map { " (HTTP \($0))" } ?? ""
        switch kind {
        case .unauthorized:
            parts.append("Neo4j rejected the credentials\(status) for \(endpoint)")
            if !said.isEmpty { parts.append(said) }
            parts.append("check neo4j.user and NEO4J_PASSWORD")
        case .client:
            parts.append("Neo4j refused the statement\(status) for \(endpoint)")
            if !said.isEmpty { parts.append(said) }
            parts.append("this is a bug in the statement or a constraint violation; not retried")
        case .transient:
            parts.append("Neo4j answered a transient error\(status) for \(endpoint) after retries")
            if !said.isEmpty { parts.append(said) }
            parts.append("the next run retries")
        case .database:
            parts.append("Neo4j failed to execute the statement\(status) for \(endpoint)")
            if !said.isEmpty { parts.append(said) }
            parts.append("check the Neo4j server log")
        case .server:
            parts.append("Neo4j answered a server error\(status) for \(endpoint)")
            if !said.isEmpty { parts.append(said) }
            parts.append("check that Neo4j is up and the database exists")
        case .timeout:
            parts.append("Neo4j did not answer \(endpoint) before the deadline")
            if !said.isEmpty { parts.append(said) }
            parts.append("check that Neo4j is reachable, or raise neo4j.requestTimeout / lower neo4j.batchSize")
        case .transport:
            parts.append("could not reach Neo4j for \(endpoint)")
            if !said.isEmpty { parts.append(said) }
            parts.append("check neo4j.url and that the server is up")
        case .malformedResponse:
            parts.append("Neo4j's answer\(status) for \(endpoint) could not be understood")
            if !said.isEmpty { parts.append(said) }
            parts.append("check that neo4j.url points at Neo4j's HTTP port")
        case .configuration:
            parts.append("the Neo4j configuration cannot work")
            if !said.isEmpty { parts.append(said) }
            parts.append("fix neo4j.url / neo4j.database")
        case .cancelled:
            parts.append("the call to \(endpoint) was cancelled")
        }
        return parts.joined(separator: ": ")
    }
}
