import AsyncHTTPClient
import Exporter
import Foundation
import GitHubSimulator
import Logging
import Sync
import Testing
import TwinConfig
import TwinStore
import Webhooks

@testable import TwinRuntime

/// Webhooks through the daemon's own wiring: receiver → coalescing queue → targeted sync (the same engine and
/// cursors as the schedule) → refreshed snapshot; the scheduled sync reconciles what a dropped delivery lost.
@Suite struct WebhookRuntimeTests {
    static let secret = "runtime-webhook-secret"

    static func configuration(_ harness: RuntimeHarness, exporter: String = "127.0.0.1:0") throws -> TwinConfiguration {
        let json = """
            {
              "github": {"apiUrl": "\(harness.server.baseURL)"},
              "store": {"path": "\(harness.folder.path)/twin.sqlite"},
              "exporter": {"listenAddress": "\(exporter)"},
              "webhooks": {"listenAddress": "127.0.0.1:0", "coalesceWindow": "0s"},
              "repositories": [{"name": "demo/app", "deployments": {"source": "releases"}, "ciWorkflows": ["CI"]}]
            }
            """
        return try ConfigLoader(environment: ["DEVOPS_TWIN_WEBHOOK_SECRET": secret]).load(data: Data(json.utf8), origin: "test")
            .configuration
    }

    static func daemon(_ harness: RuntimeHarness) throws -> TwinDaemon {
        TwinDaemon(
            configuration: try configuration(harness), store: harness.store, build: BuildInfo(version: "t", revision: ""),
            logger: Logger(label: "test"))
    }

    static func receive(_ parts: WebhookParts, _ change: LiveChange, id: String) -> [WebhookReceiver.Answer] {
        change.deliveries.map {
            parts.receiver.receive(
                event: $0.event, delivery: "\(id)-\($0.event)", signature: WebhookSender.signature($0.body, secret: secret), body: $0.body)
        }
    }

    @Test func webhooksTurnTheDefaultSyncIntervalIntoAnHourlyReconciliation() throws {
        let loader = ConfigLoader(environment: ["DEVOPS_TWIN_WEBHOOK_SECRET": "s"])
        let on = try loader.load(data: Data(#"{"webhooks": {"listenAddress": ":9867"}, "repositories": [{"name": "o/r"}]}"#.utf8))
        #expect(on.configuration.sync.interval == 3600)
        let set = try loader.load(
            data: Data(#"{"sync": {"interval": "5m"}, "webhooks": {"listenAddress": ":9867"}, "repositories": [{"name": "o/r"}]}"#.utf8))
        #expect(set.configuration.sync.interval == 300)
        #expect(try loader.load(data: Data(#"{"repositories": [{"name": "o/r"}]}"#.utf8)).configuration.sync.interval == 900)
        #expect(on.configuration.effectiveJSON().contains("<redacted>"))
        #expect(!on.configuration.effectiveJSON().contains("\"s\""))
        do {
            _ = try ConfigLoader(environment: [:]).load(data: Data(#"{"webhooks": {"listenAddress": ":9867"}, "repositories": [{"name": "o/r"}]}"#.utf8))
            Issue.record("webhooks without a secret were accepted")
        } catch {
            #expect(error.key == "webhooks.secretFile")
            #expect(error.message.contains("DEVOPS_TWIN_WEBHOOK_SECRET"))
        }
    }

    /// 50 pushes in a burst are one commits sync, which brings the new commits; the snapshot then holds them and
    /// each delivery's time to it is observed.
    @Test func aBurstOfPushesIsOneTargetedCommitsSync() async throws {
        try await RuntimeHarness.run { harness, httpClient in
            let daemon = try Self.daemon(harness)
            let cycle = try daemon.makeCycle(httpClient: httpClient)
            #expect(await cycle.run() == .success)
            let parts = try #require(try daemon.makeWebhookParts(cycle: cycle))
            let live = LiveActivity(github: harness.server.github, repositories: ["demo/app"], seed: 5)
            var shas: [String] = []
            for index in 0..<50 {
                let change = try #require(live.apply(.commit, to: "demo/app"))
                shas.append(change.key)
                #expect(Self.receive(parts, change, id: "push-\(index)").map(\.result) == [.accepted])
            }
            #expect(parts.queue.depth == 1)
            harness.server.github.clearRequestLog()
            let batch = parts.queue.drain()
            let results = await parts.worker.process(batch)

            #expect(results.map(\.repository) == ["demo/app"])
            #expect(results.map(\.outcome) == [.success])
            let paths = harness.server.github.requestLog.map(\.pathAndQuery)
            #expect(paths.allSatisfy { $0.hasPrefix("/repos/demo/app/commits") }, "a commits sync asks only for commits: \(paths)")
            let stored = try Set(harness.store.commitShas(repository: "demo/app"))
            #expect(Set(shas).isSubset(of: stored))
            let histogram = daemon.webhookStatistics.snapshot.deliveryToSnapshot
            #expect(histogram.count == 50)
            let served = try #require(daemon.holder.rendered?.snapshot)
            #expect(served.family("devops_twin_webhook_delivery_to_snapshot_seconds")?.samples.last?.value == 50)
            #expect(served.family("devops_twin_webhook_repository_deliveries_total")?.samples.first?.value == 50)
        }
    }

    /// A delivery that never arrives costs latency, not data: the scheduled cycle brings what it carried.
    @Test func aDroppedDeliveryIsCaughtByReconciliation() async throws {
        try await RuntimeHarness.run { harness, httpClient in
            let daemon = try Self.daemon(harness)
            let cycle = try daemon.makeCycle(httpClient: httpClient)
            #expect(await cycle.run() == .success)
            let parts = try #require(try daemon.makeWebhookParts(cycle: cycle))
            let live = LiveActivity(github: harness.server.github, repositories: ["demo/app"], seed: 9)
            let delivered = try #require(live.apply(.issueOpened, to: "demo/app"))
            let dropped = try #require(live.apply(.release, to: "demo/app"))
            _ = Self.receive(parts, delivered, id: "delivered")
            _ = await parts.worker.process(parts.queue.drain())

            let issues = try harness.store.issueNumbers(repository: "demo/app")
            #expect(issues.contains(Int(delivered.key) ?? -1))
            #expect(try !harness.store.releaseTags(repository: "demo/app").contains(dropped.key), "the release arrived without its delivery")

            #expect(await cycle.run() == .success)
            #expect(try harness.store.releaseTags(repository: "demo/app").contains(dropped.key))
        }
    }
}

extension TwinStore {
    func commitShas(repository: String) throws -> [String] {
        try commits(repository: repository, afterSequence: 0, limit: 1_000_000).map(\.sha)
    }

    func issueNumbers(repository: String) throws -> [Int] {
        try issues(repository: repository, afterSequence: 0, limit: 1_000_000).map(\.number)
    }

    func releaseTags(repository: String) throws -> [String] {
        try releases(repository: repository, afterSequence: 0, limit: 1_000_000).map(\.tagName)
    }
}
