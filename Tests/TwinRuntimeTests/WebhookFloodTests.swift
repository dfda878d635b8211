import AsyncHTTPClient
import Exporter
import Foundation
import Logging
import Testing
import TwinConfig
import Webhooks

@testable import TwinRuntime

/// The receiver under a flood of forged deliveries: every one is refused and counted, none is acted on, the
/// metrics endpoint keeps answering, and memory stays bounded.
@Suite struct WebhookFloodTests {
    @Test func aFloodOfBadSignaturesLeavesMetricsResponsiveAndMemoryBounded() async throws {
        try await RuntimeHarness.run { harness, httpClient in
            var logger = Logger(label: "test")
            // Stopping the daemon by cancellation makes its servers log errors that are not the test's business.
            logger.logLevel = .critical
            let daemon = TwinDaemon(
                configuration: try WebhookRuntimeTests.configuration(harness), store: harness.store,
                build: BuildInfo(version: "t", revision: ""), logger: logger)
            let (exporterPorts, exporterPort) = AsyncStream.makeStream(of: Int.self)
            let (webhookPorts, webhookPort) = AsyncStream.makeStream(of: Int.self)
            let running = Task {
                try await daemon.run(
                    httpClient: httpClient, onListening: { exporterPort.yield($0) }, onWebhookListening: { webhookPort.yield($0) })
            }
            defer { running.cancel() }
            var exporterIterator = exporterPorts.makeAsyncIterator()
            var webhookIterator = webhookPorts.makeAsyncIterator()
            let metricsURL = "http://127.0.0.1:\(try #require(await exporterIterator.next()))/metrics"
            let receiverURL = "http://127.0.0.1:\(try #require(await webhookIterator.next()))\(WebhookServer.path)"

            let body = Array(#"{"ref":"refs/heads/main","repository":{"full_name":"demo/app"},"padding":"\#(String(repeating: "x", count: 4000))"}"#.utf8)
            let forged = WebhookSignature.sign(body: body, secret: WebhookSignature.key("not the secret"))
            let total = 1600
            // Enough to show the bound, not so much that it starves the other suites running beside it.
            let concurrency = 16
            var baseline = 0
            var statuses: [Int: Int] = [:]
            var scrapes = 0
            for wave in 0..<(total / concurrency + 1) {
                let count = min(concurrency, total - wave * concurrency)
                guard count > 0 else { break }
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<count {
                        group.addTask {
                            try await Self.post(httpClient, receiverURL, body: body, signature: forged, delivery: "flood-\(wave)-\(index)")
                        }
                    }
                    for try await status in group { statuses[status, default: 0] += 1 }
                }
                if wave % 10 == 0 {
                    // The metrics endpoint answers between waves of forgeries (10 s deadline).
                    #expect(try await Self.get(httpClient, metricsURL).status == 200)
                    scrapes += 1
                }
                if wave == 15 { baseline = Self.residentBytes() }
            }
            #expect(statuses == [401: total])
            #expect(scrapes > 5)
            let growth = Self.residentBytes() - baseline
            #expect(growth < 40 << 20, "resident memory grew by \(growth >> 20) MiB during the flood")

            // Counted (each before its answer), never acted on; the next refresh serves the counts.
            #expect(daemon.webhookStatistics.snapshot.signatureFailures == [.mismatch: total])
            daemon.refresher.refresh()
            let text = try await Self.get(httpClient, metricsURL).text
            #expect(text.contains(#"devops_twin_webhook_signature_failures_total{reason="mismatch"} \#(total)"#))
            #expect(text.contains(#"devops_twin_webhook_deliveries_total{event="push",result="bad_signature"} \#(total)"#))
            #expect(text.contains("devops_twin_webhook_queue_depth 0"))
            #expect(daemon.webhookStatistics.snapshot.acceptedByRepository.isEmpty)
            #expect(!text.contains("not the secret") && !text.contains(WebhookRuntimeTests.secret))
            running.cancel()
            _ = await running.result
        }
    }

    static func post(_ client: HTTPClient, _ url: String, body: [UInt8], signature: String, delivery: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-GitHub-Event", value: "push")
        request.headers.add(name: "X-GitHub-Delivery", value: delivery)
        request.headers.add(name: "X-Hub-Signature-256", value: signature)
        request.body = .bytes(body)
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return Int(response.status.code)
    }

    static func get(_ client: HTTPClient, _ url: String) async throws -> (status: Int, text: String) {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// This process's resident set size, from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
