import AsyncHTTPClient
import Foundation
import GitHubSimulator
import Logging
import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real `devops-twin run` with a `webhooks` section: GitHub's ping is answered, a signed delivery brings its
/// change to `/metrics` long before the next scheduled sync, a forged one is refused and counted, and the secret
/// never shows in the logs or metrics.
@Suite(.serialized) struct WebhookEndToEndTests {
    static let secret = "whsec-RECOGNISABLE-51e0c7"

    @Test func aSignedDeliveryReachesTheMetricsAndAForgedOneIsRefused() async throws {
        let now = Date()
        let github = SimulatedGitHub(repositories: [.generated(owner: "acme", name: "app", seed: 4, commits: 200, now: now)])
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let port = freeLoopbackPort()
        let webhookPort = freeLoopbackPort()
        // sync.interval 60s: the next scheduled sync is far beyond what the delivery may take.
        let config = try workspace.writeConfig(
            apiURL: simulator.baseURL, repositories: [#"{"name": "acme/app"}"#],
            extra: #", "webhooks": {"listenAddress": "127.0.0.1:\#(webhookPort)", "coalesceWindow": "0.2s"}"#, listen: "127.0.0.1:\(port)")
        let daemon = try TwinProcess(
            ["run", "--config", config, "--log-level", "debug"], in: workspace.url, environment: ["DEVOPS_TWIN_WEBHOOK_SECRET": Self.secret])
        let first = try #require(
            try await LoopbackHTTP.waitForMetrics(port: port, timeout: 60) { $0.contains("devops_twin_sync_last_success_timestamp_seconds{") })
        #expect(first.contains("devops_twin_webhook_queue_depth 0"))
        let issuesBefore = Self.value(first, #"devops_twin_store_entities{repository="acme/app",entity="issues"}"#) ?? -1

        let url = "http://127.0.0.1:\(webhookPort)/webhooks/github"
        let sender = WebhookSender(url: url, secret: Self.secret, httpClient: .shared, logger: Logger(label: "sender"))
        await sender.post(.ping(url: url))
        let live = LiveActivity(github: github, repositories: ["acme/app"], seed: 3)
        let change = try #require(live.apply(.issueOpened, to: "acme/app"))
        for delivery in change.deliveries { #expect(await sender.send(delivery) == .sent) }
        let forger = WebhookSender(url: url, secret: "not-the-secret", httpClient: .shared, logger: Logger(label: "forger"))
        await forger.post(change.deliveries[0])
        #expect(sender.tally.failed == 0)
        #expect(forger.tally.failed == 1, "the forged delivery got no 2xx")

        let after = try #require(
            try await LoopbackHTTP.waitForMetrics(port: port, timeout: 30) {
                (Self.value($0, #"devops_twin_store_entities{repository="acme/app",entity="issues"}"#) ?? -1) == issuesBefore + 1
                    && $0.contains(#"devops_twin_webhook_signature_failures_total{reason="mismatch"} 1"#)
            }, "the delivered issue never reached /metrics")
        #expect(after.contains(#"devops_twin_webhook_deliveries_total{event="ping",result="ping"} 1"#))
        #expect(after.contains(#"devops_twin_webhook_deliveries_total{event="issues",result="accepted"} 1"#))
        #expect(after.contains(#"devops_twin_webhook_deliveries_total{event="issues",result="bad_signature"} 1"#))
        #expect(after.contains(#"devops_twin_webhook_repository_deliveries_total{repository="acme/app"} 1"#))
        #expect(after.contains("devops_twin_webhook_delivery_to_snapshot_seconds_count 1"))

        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 30) == 0)
        #expect(daemon.stderr.contains("receiving webhooks"))
        #expect(SecretsEndToEndTests.errorLines(daemon.stderr).isEmpty, "\(SecretsEndToEndTests.errorLines(daemon.stderr))")
        #expect(!(daemon.stdout + daemon.stderr + after).contains(Self.secret), "the webhook secret shows in the logs or metrics")
        await simulator.stop()
    }

    static func value(_ metrics: String, _ series: String) -> Int? {
        metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) }
    }
}
