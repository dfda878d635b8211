/// Where and how the exporter's HTTP server listens.
public struct ExporterServerConfiguration: Sendable, CustomStringConvertible {
    public var host: String
    /// 0 picks a free port (tests); the bound port is reported through `ExporterServer`'s `onListening`.
    public var port: Int
    /// When set, `/metrics` and the status page at `/` require these credentials; `/healthz` and `/readyz` stay open (probes).
    public var basicAuth: BasicAuthCredentials?
    /// Requests with a larger body are answered 413 (every route is a GET: bodies have no use).
    public var maxRequestBodyBytes: Int
    /// When set, the server speaks HTTPS only (and with a client CA, requires client certificates).
    public var tls: ExporterTLS?
    /// A connection that completes no request part for this long is closed: a client trickling a request head
    /// (slow loris) or keeping an unused keep-alive connection is dropped. Longer than any scrape interval in use
    /// is not needed: Prometheus reconnects.
    public var idleTimeout: Duration
    /// Largest request head (request line and all header fields); a larger one is answered 400 and the
    /// connection closed.
    public var maxHeaderBytes: Int

    public init(
        host: String = "127.0.0.1", port: Int = 9866, basicAuth: BasicAuthCredentials? = nil, maxRequestBodyBytes: Int = 4096,
        tls: ExporterTLS? = nil, idleTimeout: Duration = .seconds(60), maxHeaderBytes: Int = 16_384
    ) {
        self.host = host
        self.port = port
        self.basicAuth = basicAuth
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.tls = tls
        self.idleTimeout = idleTimeout
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// `https` when TLS is configured, `http` otherwise: for the address logged at start.
    public var scheme: String { tls == nil ? "http" : "https" }

    public var description: String {
        "ExporterServerConfiguration(host: \(host), port: \(port), basicAuth: \(basicAuth.map { "user \($0.user)" } ?? "off"), "
            + "tls: \(tls.map { $0.clientCAFile == nil ? "on" : "on, client certificates required" } ?? "off"))"
    }

    /// Throws when the settings cannot work, saying which and what to change.
    public func validate() throws(ExporterError) {
        guard (0...65_535).contains(port) else {
            throw ExporterError(.invalidConfiguration, "listen port \(port) is out of range: use 1-65535 (0 picks a free port)")
        }
        guard !host.isEmpty else {
            throw ExporterError(.invalidConfiguration, "the listen host is empty: use 127.0.0.1, 0.0.0.0 or a host name")
        }
        if let basicAuth {
            guard !basicAuth.user.isEmpty, !basicAuth.user.contains(":") else {
                throw ExporterError(.invalidConfiguration, "the basic-auth user is empty or contains ':': choose another user name")
            }
            guard !basicAuth.password.isEmpty else {
                throw ExporterError(.invalidConfiguration, "the basic-auth password is empty: set one, or remove basic auth")
            }
        }
        guard maxRequestBodyBytes >= 0 else {
            throw ExporterError(.invalidConfiguration, "maxRequestBodyBytes is negative: use 0 or more")
        }
        guard maxHeaderBytes >= 1_024 else {
            throw ExporterError(.invalidConfiguration, "maxHeaderBytes \(maxHeaderBytes) is too small for a scrape request: use 1024 or more")
        }
        guard idleTimeout > .zero else {
            throw ExporterError(.invalidConfiguration, "idleTimeout must be positive: use a few seconds or more")
        }
    }
}
