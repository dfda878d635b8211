/// Settings of a `Neo4jClient`.
public struct Neo4jClientConfiguration: Sendable, CustomStringConvertible {
    /// `http://host:7474` or `https://host:7473` (Aura: `https://xxxx.databases.neo4j.io`). No credentials in it.
    public var url: String
    /// Database name used in `/db/{database}/...`.
    public var database: String
    public var authentication: Neo4jAuthentication
    /// Deadline of each HTTP call (each attempt).
    public var requestTimeout: Duration
    /// Retries of transient errors, 5xx, connection failures and timeouts.
    public var maxRetries: Int
    /// First backoff; doubles per retry up to `maximumBackoff`.
    public var initialBackoff: Duration
    public var maximumBackoff: Duration
    /// nil: discover with `GET /`; otherwise use this flavour without asking.
    public var flavour: Neo4jAPIFlavour?

    public init(
        url: String, database: String = "neo4j", authentication: Neo4jAuthentication = .none,
        requestTimeout: Duration = .seconds(30), maxRetries: Int = 4, initialBackoff: Duration = .milliseconds(500),
        maximumBackoff: Duration = .seconds(30), flavour: Neo4jAPIFlavour? = nil
    ) {
        self.url = url
        self.database = database
        self.authentication = authentication
        self.requestTimeout = requestTimeout
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.flavour = flavour
    }

    public var description: String {
        "Neo4jClientConfiguration(url: \(url), database: \(database), authentication: \(authentication), flavour: \(flavour?.rawValue ?? "discover"))"
    }
}
