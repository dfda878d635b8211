import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOSSL
import Testing

@testable import Exporter

/// HTTPS for `/metrics` with certificates `openssl` makes at test time; scraped with AsyncHTTPClient.
@Suite("Exporter TLS")
struct ExporterTLSTests {
    /// A client trusting `trusting` (PEM file), presenting `identity` when given.
    static func client(trusting: String, identity: TestCertificates.Pair? = nil) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trusting))
        if let identity {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(identity.certFile).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: identity.keyFile, format: .pem))
        }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
    }

    static func get(_ client: HTTPClient, _ url: String) async throws -> (status: Int, text: String) {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// Runs `body` with a TLS client made by `makeClient`, shutting it down afterwards whatever happens.
    static func withClient(_ client: HTTPClient, _ body: (HTTPClient) async throws -> Void) async throws {
        do {
            try await body(client)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("with certFile and keyFile the exporter serves HTTPS: a client trusting the certificate scrapes /metrics")
    func httpsScrape() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let holder = SnapshotHolder()
        let snapshot = Fixtures.realisticSnapshot()
        try holder.publish(snapshot)
        let configuration = ExporterServerConfiguration(
            port: 0, tls: ExporterTLS(certFile: certificates.server.certFile, keyFile: certificates.server.keyFile))
        #expect(configuration.scheme == "https")
        try await ExporterServerTests.withServer(configuration, holder: holder) { port in
            try await Self.withClient(try Self.client(trusting: certificates.server.certFile)) { client in
                let reply = try await Self.get(client, "https://127.0.0.1:\(port)/metrics")
                #expect(reply.status == 200)
                #expect(reply.text == ExpositionRenderer.render(snapshot, format: .prometheusText))
                #expect(try await Self.get(client, "https://127.0.0.1:\(port)/healthz").text == "ok\n")
            }
            // Plain HTTP to the TLS port gets no metrics: the handshake fails and the connection is closed.
            await #expect(throws: (any Error).self) {
                _ = try await ExporterServerTests.get(port, "/metrics")
            }
        }
    }

    @Test("basic auth still guards /metrics over HTTPS")
    func basicAuthOverTLS() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let holder = SnapshotHolder()
        try holder.publish(Fixtures.realisticSnapshot())
        let configuration = ExporterServerConfiguration(
            port: 0, basicAuth: BasicAuthCredentials(user: "prom", password: "s3cr3t"),
            tls: ExporterTLS(certFile: certificates.server.certFile, keyFile: certificates.server.keyFile))
        try await ExporterServerTests.withServer(configuration, holder: holder) { port in
            try await Self.withClient(try Self.client(trusting: certificates.server.certFile)) { client in
                #expect(try await Self.get(client, "https://127.0.0.1:\(port)/metrics").status == 401)
                var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)/metrics")
                request.headers.add(name: "Authorization", value: "Basic cHJvbTpzM2NyM3Q=")  // prom:s3cr3t
                let response = try await client.execute(request, timeout: .seconds(10))
                #expect(response.status.code == 200)
                _ = try await response.body.collect(upTo: 16 << 20)
            }
        }
    }

    @Test("with clientCAFile a client must present a certificate from that CA")
    func mutualTLS() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let holder = SnapshotHolder()
        try holder.publish(Fixtures.realisticSnapshot())
        let configuration = ExporterServerConfiguration(
            port: 0,
            tls: ExporterTLS(
                certFile: certificates.server.certFile, keyFile: certificates.server.keyFile, clientCAFile: certificates.client.certFile))
        try await ExporterServerTests.withServer(configuration, holder: holder) { port in
            let url = "https://127.0.0.1:\(port)/metrics"
            try await Self.withClient(try Self.client(trusting: certificates.server.certFile, identity: certificates.client)) { client in
                let reply = try await Self.get(client, url)
                #expect(reply.status == 200)
            }
            try await Self.withClient(try Self.client(trusting: certificates.server.certFile)) { client in
                await #expect(throws: (any Error).self, "no client certificate") { _ = try await Self.get(client, url) }
            }
            try await Self.withClient(try Self.client(trusting: certificates.server.certFile, identity: certificates.stranger)) { client in
                await #expect(throws: (any Error).self, "a client certificate from another CA") { _ = try await Self.get(client, url) }
            }
        }
    }

    @Test("unusable TLS files stop the exporter at start with an error naming the key", arguments: ["certFile", "keyFile", "clientCAFile"])
    func unusableFiles(key: String) throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let garbage = try certificates.file("garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n")
        var tls = ExporterTLS(certFile: certificates.server.certFile, keyFile: certificates.server.keyFile)
        switch key {
        case "certFile": tls.certFile = garbage
        case "keyFile": tls.keyFile = certificates.directory.appendingPathComponent("missing-key.pem").path
        default: tls.clientCAFile = garbage
        }
        let configuration = ExporterServerConfiguration(port: 0, tls: tls)
        let error = #expect(throws: ExporterError.self) {
            _ = try ExporterServer(configuration: configuration, holder: SnapshotHolder(), logger: Logger(label: "exporter-test"))
        }
        #expect(error?.kind == .invalidConfiguration)
        #expect(error?.message.contains("exporter.tls.\(key)") == true)
    }
}
