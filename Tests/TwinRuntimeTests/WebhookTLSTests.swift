import Exporter
import Foundation
import Logging
import Testing
import TwinConfig
import Webhooks

@testable import TwinRuntime

/// `webhooks.useExporterTLS`: the receiver serves HTTPS with the exporter's certificate and key, checked by a
/// real client (curl) trusting that certificate; certificates are made by the real openssl.
@Suite struct WebhookTLSTests {
    @Test func theReceiverServesHTTPSWithTheExportersCertificate() async throws {
        try await RuntimeHarness.run { harness, httpClient in
            let cert = harness.folder.appendingPathComponent("cert.pem").path
            let key = harness.folder.appendingPathComponent("key.pem").path
            let made = try Self.run(
                "openssl",
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                 "-addext", "subjectAltName=IP:127.0.0.1"])
            #expect(made.status == 0, "\(made.output)")
            let json = """
                {"github": {"apiUrl": "\(harness.server.baseURL)"}, "store": {"path": "\(harness.folder.path)/twin.sqlite"},
                 "exporter": {"listenAddress": "127.0.0.1:0", "tls": {"certFile": "\(cert)", "keyFile": "\(key)"}},
                 "webhooks": {"listenAddress": "127.0.0.1:0", "useExporterTLS": true},
                 "repositories": [{"name": "demo/app"}]}
                """
            let configuration = try ConfigLoader(environment: ["DEVOPS_TWIN_WEBHOOK_SECRET": WebhookRuntimeTests.secret])
                .load(data: Data(json.utf8)).configuration
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let daemon = TwinDaemon(configuration: configuration, store: harness.store, build: BuildInfo(version: "t", revision: ""), logger: logger)
            let (ports, port) = AsyncStream.makeStream(of: Int.self)
            let running = Task { try await daemon.run(httpClient: httpClient, onWebhookListening: { port.yield($0) }) }
            var iterator = ports.makeAsyncIterator()
            let bound = try #require(await iterator.next())

            let body = #"{"zen":"Encourage flow.","hook_id":1}"#
            let signature = WebhookSignature.sign(body: Array(body.utf8), secret: WebhookSignature.key(WebhookRuntimeTests.secret))
            func post(_ scheme: String) throws -> (status: Int32, output: String) {
                try Self.run(
                    "curl",
                    ["-sS", "--max-time", "10", "--cacert", cert, "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                     "-H", "Content-Type: application/json", "-H", "X-GitHub-Event: ping", "-H", "X-GitHub-Delivery: tls-1",
                     "-H", "X-Hub-Signature-256: \(signature)", "--data-binary", body, "\(scheme)://127.0.0.1:\(bound)/webhooks/github"])
            }
            let https = try post("https")
            #expect(https.status == 0 && https.output == "200", "\(https.output)")
            let plain = try post("http")
            #expect(plain.output != "200", "the receiver answered plain HTTP as well: \(plain.output)")
            #expect(daemon.webhookStatistics.snapshot.deliveries[.ping]?[.ping] == 1)
            running.cancel()
            _ = await running.result
        }
    }

    @Test func reusingTheExportersTLSNeedsIt() {
        let loader = ConfigLoader(environment: ["DEVOPS_TWIN_WEBHOOK_SECRET": "s"])
        do {
            _ = try loader.load(
                data: Data(#"{"webhooks": {"listenAddress": ":9867", "useExporterTLS": true}, "repositories": [{"name": "o/r"}]}"#.utf8))
            Issue.record("useExporterTLS without exporter.tls was accepted")
        } catch {
            #expect(error.key == "webhooks.useExporterTLS")
            #expect(error.message.contains("exporter.tls"))
        }
    }

    /// Runs `tool` (found on PATH) to completion; its exit status and standard output + error.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
