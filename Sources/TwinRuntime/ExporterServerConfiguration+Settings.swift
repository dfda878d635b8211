import Exporter
import TwinConfig

extension ExporterServerConfiguration {
    /// The exporter's server settings from the validated `exporter` section (the password stays a secret until here).
    public init(_ settings: ExporterSettings) {
        self.init(host: settings.listenHost, port: settings.listenPort, tls: settings.tls.map(ExporterTLS.init))
        if let user = settings.basicAuthUser, let password = settings.basicAuthPassword {
            basicAuth = BasicAuthCredentials(user: user, password: password.value)
        }
    }
}

extension ExporterTLS {
    /// The same three paths as the configuration's `exporter.tls`.
    public init(_ settings: ExporterSettings.TLS) {
        self.init(certFile: settings.certFile, keyFile: settings.keyFile, clientCAFile: settings.clientCAFile)
    }
}
