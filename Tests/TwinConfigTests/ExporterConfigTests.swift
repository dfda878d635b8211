import Foundation
import Testing

@testable import TwinConfig

/// `exporter.tls`: PEM files checked at load, errors naming the key.
@Suite struct ExporterConfigTests {
    static let certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    static let key = "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n"
    static let files = [
        "/tls/cert.pem": certificate, "/tls/key.pem": key, "/tls/ca.pem": certificate, "/tls/ec-key.pem": "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n",
        "/tls/empty.pem": "", "/tls/not-pem.txt": "hello",
    ]

    static func load(_ exporter: String) throws -> TwinConfiguration {
        let loader = ConfigLoader(environment: [:], now: Date(timeIntervalSince1970: 1_750_000_000), readSecretFile: { files[$0] })
        return try loader.load(data: Data(#"{"exporter": \#(exporter), "repositories": [{"name": "o/r"}]}"#.utf8)).configuration
    }

    @Test func withoutTLSTheExporterServesPlainHTTP() throws {
        #expect(try Self.load(#"{"listenAddress": "0.0.0.0:9866"}"#).exporter.tls == nil)
    }

    @Test func certAndKeyFilesEnableTLSAndClientCAFileEnablesClientCertificates() throws {
        let plain = try Self.load(#"{"tls": {"certFile": "/tls/cert.pem", "keyFile": "/tls/key.pem"}}"#).exporter.tls
        #expect(plain == ExporterSettings.TLS(certFile: "/tls/cert.pem", keyFile: "/tls/key.pem"))
        let mutual = try Self.load(#"{"tls": {"certFile": "/tls/cert.pem", "keyFile": "/tls/ec-key.pem", "clientCAFile": "/tls/ca.pem"}}"#).exporter.tls
        #expect(mutual == ExporterSettings.TLS(certFile: "/tls/cert.pem", keyFile: "/tls/ec-key.pem", clientCAFile: "/tls/ca.pem"))
    }

    @Test(arguments: [
        (#"{"tls": {"keyFile": "/tls/key.pem"}}"#, "exporter.tls.certFile", "required when exporter.tls is set"),
        (#"{"tls": {"certFile": "/tls/cert.pem"}}"#, "exporter.tls.keyFile", "required when exporter.tls is set"),
        (#"{"tls": {"certFile": "/tls/missing.pem", "keyFile": "/tls/key.pem"}}"#, "exporter.tls.certFile", "cannot read '/tls/missing.pem'"),
        (#"{"tls": {"certFile": "/tls/cert.pem", "keyFile": "/tls/missing.pem"}}"#, "exporter.tls.keyFile", "cannot read '/tls/missing.pem'"),
        (#"{"tls": {"certFile": "/tls/key.pem", "keyFile": "/tls/key.pem"}}"#, "exporter.tls.certFile", "no PEM CERTIFICATE block"),
        (#"{"tls": {"certFile": "/tls/cert.pem", "keyFile": "/tls/cert.pem"}}"#, "exporter.tls.keyFile", "no PEM PRIVATE KEY block"),
        (#"{"tls": {"certFile": "/tls/cert.pem", "keyFile": "/tls/empty.pem"}}"#, "exporter.tls.keyFile", "no PEM PRIVATE KEY block"),
        (#"{"tls": {"certFile": "", "keyFile": "/tls/key.pem"}}"#, "exporter.tls.certFile", "is empty"),
        (#"{"tls": {"certFile": "/tls/cert.pem", "keyFile": "/tls/key.pem", "clientCAFile": "/tls/not-pem.txt"}}"#, "exporter.tls.clientCAFile", "no PEM CERTIFICATE block"),
        (#"{"tls": {"certFile": "/tls/cert.pem", "keyFile": "/tls/key.pem", "clientCAFile": "/tls/none.pem"}}"#, "exporter.tls.clientCAFile", "cannot read"),
        (#"{"tls": {"certFile": "/tls/cert.pem", "keyFile": "/tls/key.pem", "cert_file": "/tls/cert.pem"}}"#, "exporter.tls.cert_file", "did you mean 'certFile'?"),
        (#"{"tls": {"certFile": 7, "keyFile": "/tls/key.pem"}}"#, "exporter.tls.certFile", "expected"),
        (#"{"tls": "on"}"#, "exporter.tls", "expected an object"),
        (#"{"tsl": {}}"#, "exporter.tsl", "did you mean 'tls'?"),
    ])
    func unusableTLSSettingsAreRejectedNamingTheKey(exporter: String, key: String, message: String) {
        do {
            _ = try Self.load(exporter)
            Issue.record("\(exporter) was accepted")
        } catch let error as ConfigError {
            #expect(error.key == key)
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
