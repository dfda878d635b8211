import HummingbirdTLS

extension ExporterTLS {
    /// Reads and parses the PEM files into a server TLS configuration: TLS 1.2 or later, and with `clientCAFile`
    /// a client certificate is required and must chain to one of its CAs (exporter-toolkit's
    /// `client_auth_type: RequireAndVerifyClientCert`). Errors name the key and the file.
    func makeServerTLSConfiguration() throws(ExporterError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certFile)
        } catch {
            throw ExporterError(
                .invalidConfiguration, "exporter.tls.certFile '\(certFile)' is not a readable PEM certificate (\(error)): give the server certificate chain in PEM format")
        }
        guard !chain.isEmpty else {
            throw ExporterError(.invalidConfiguration, "exporter.tls.certFile '\(certFile)' holds no certificate: give the server certificate chain in PEM format")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            // The error text of a key parse carries no key material.
            throw ExporterError(
                .invalidConfiguration, "exporter.tls.keyFile '\(keyFile)' is not a readable PEM private key (\(error)): give the certificate's unencrypted private key in PEM format")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let clientCAFile {
            let authorities: [NIOSSLCertificate]
            do {
                authorities = try NIOSSLCertificate.fromPEMFile(clientCAFile)
            } catch {
                throw ExporterError(
                    .invalidConfiguration,
                    "exporter.tls.clientCAFile '\(clientCAFile)' is not a readable PEM certificate file (\(error)): give the CA certificates client certificates must chain to")
            }
            guard !authorities.isEmpty else {
                throw ExporterError(.invalidConfiguration, "exporter.tls.clientCAFile '\(clientCAFile)' holds no certificate: give at least one CA certificate in PEM format")
            }
            configuration.trustRoots = .certificates(authorities)
            // Verify the client's chain; a client certificate names no host to check.
            configuration.certificateVerification = .noHostnameVerification
        }
        return configuration
    }
}
