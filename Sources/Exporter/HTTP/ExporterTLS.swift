/// PEM files for HTTPS, as exporter-toolkit's `tls_server_config` (`cert_file`, `key_file`, `client_ca_file`).
/// Paths only: the server reads and parses them when it is created.
public struct ExporterTLS: Sendable, Hashable {
    /// The server certificate chain (PEM), leaf first.
    public var certFile: String
    /// The private key of the leaf certificate (PEM).
    public var keyFile: String
    /// When set, clients must present a certificate signed by one of these CAs (PEM): mutual TLS.
    public var clientCAFile: String?

    public init(certFile: String, keyFile: String, clientCAFile: String? = nil) {
        self.certFile = certFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
    }
}
