import TwinConfig

/// Where and how the exporter's HTTP server listens.
public struct ExporterServerConfiguration: Sendable, CustomStringConvertible {
    public var host: String
    /// 0 picks a free port (tests); the bound port is reported through `ExporterServer`'s `onListening`.
    public var port: Int
    /// When set, `/metrics` requires these credentials; the other routes stay open (probes).
    public var basicAuth: BasicAuthCredentials?
    /// Requests with a larger body are answered 413 (every route is a GET: bodies have no use).
    public var maxRequestBodyBytes: Int

    public init(host: String = "127.0.0.1", port: Int = 9866, basicAuth: BasicAuthCredentials? = nil, maxRequestBodyBytes: Int = 4096) {
        self.host = host
        self.port = port
        self.basicAuth = basicAuth
        self.maxRequestBodyBytes = maxRequestBodyBytes
    }

    /// From the `exporter` section of the configuration.
    public init(settings: ExporterSettings) {
        self.init(host: settings.listenHost, port: settings.listenPort)
        if let user = settings.basicAuthUser, let password = settings.basicAuthPassword {
            basicAuth = BasicAuthCredentials(user: user, password: password.value)
        }
    }

    public var description: String {
        "ExporterServerConfiguration(host: \(host), port: \(port), basicAuth: \(basicAuth.map { "user \($0.user)" } ?? "off"))"
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
    }
}
