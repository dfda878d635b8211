import Foundation
import Testing

@testable import Exporter

@Suite struct WebhookFamiliesTests {
    @Test func webhookFamiliesAreAbsentWhenWebhooksAreOff() {
        let snapshot = Fixtures.realisticSnapshot(webhooks: false)
        #expect(!snapshot.families.contains { $0.name.hasPrefix("devops_twin_webhook_") })
    }

    @Test func theHistogramIsRenderedAsBucketsSumAndCount() {
        let snapshot = Fixtures.realisticSnapshot()
        for format in ExpositionFormat.allCases {
            let text = ExpositionRenderer.render(snapshot, format: format)
            #expect(text.contains("# TYPE devops_twin_webhook_delivery_to_snapshot_seconds histogram\n"))
            #expect(text.contains(#"devops_twin_webhook_delivery_to_snapshot_seconds_bucket{le="0.25"} 4"#))
            #expect(text.contains(#"devops_twin_webhook_delivery_to_snapshot_seconds_bucket{le="+Inf"} 41"#))
            #expect(text.contains("devops_twin_webhook_delivery_to_snapshot_seconds_sum 27.25\n"))
            #expect(text.contains("devops_twin_webhook_delivery_to_snapshot_seconds_count 41\n"))
        }
        let openMetrics = ExpositionRenderer.render(snapshot, format: .openMetrics)
        #expect(openMetrics.contains("# UNIT devops_twin_webhook_delivery_to_snapshot_seconds seconds\n"))
    }

    @Test func everySignatureFailureReasonAndEveryRepositoryIsExported() throws {
        let snapshot = Fixtures.realisticSnapshot()
        let failures = try #require(snapshot.family("devops_twin_webhook_signature_failures_total"))
        #expect(failures.samples.map { $0.label("reason") } == ["missing", "wrong_algorithm", "malformed", "mismatch"])
        #expect(failures.samples.map(\.value) == [0, 0, 0, 3])
        let repositories = try #require(snapshot.family("devops_twin_webhook_repository_deliveries_total"))
        #expect(Set(repositories.samples.compactMap { $0.label("repository") }) == Set(Fixtures.realisticRepositories))
    }

    @Test func forwardedDeliveriesAreCountedByResultWithEveryResultAlwaysExported() throws {
        let snapshot = Fixtures.realisticSnapshot()
        let forwarded = try #require(snapshot.family("devops_twin_webhook_forwarded_total"))
        #expect(forwarded.samples.map { $0.label("result") } == ["ok", "queued", "failed"])
        #expect(forwarded.samples.map(\.value) == [8, 2, 1])
        var quiet = Fixtures.webhookHealth(Fixtures.realisticRepositories)
        quiet.forwarded = [:]
        let unsharded = MetricsSnapshotBuilder.replacingWebhookFamilies(in: snapshot, with: quiet)
        #expect(unsharded.family("devops_twin_webhook_forwarded_total")?.samples.map(\.value) == [0, 0, 0])
    }

    @Test func theShardAndTheSyncIntervalAreExportedWhenGivenAndAbsentOtherwise() throws {
        let snapshot = Fixtures.realisticSnapshot()
        #expect(snapshot.family("devops_twin_shard_ordinal")?.samples.map(\.value) == [2])
        #expect(snapshot.family("devops_twin_total_shards")?.samples.map(\.value) == [4])
        #expect(snapshot.family("devops_twin_sync_interval_seconds")?.samples.map(\.value) == [3600])
        #expect(snapshot.family("devops_twin_sync_interval_seconds")?.unit == "seconds")
        let oneShot = MetricsSnapshotBuilder.build(asOf: Fixtures.asOf, reports: [], build: BuildInfo(version: "1", revision: "r"))
        for name in ["devops_twin_shard_ordinal", "devops_twin_total_shards", "devops_twin_sync_interval_seconds"] {
            #expect(oneShot.family(name) == nil, "\(name)")
        }
    }

    /// Between refreshes only the webhook families change: the rest of the served snapshot stays as computed.
    @Test func replacingTheWebhookFamiliesKeepsEverythingElseInPlace() throws {
        let snapshot = Fixtures.realisticSnapshot()
        var health = Fixtures.webhookHealth(Fixtures.realisticRepositories)
        health.signatureFailures["mismatch"] = 1000
        health.queueDepth = 0
        let replaced = MetricsSnapshotBuilder.replacingWebhookFamilies(in: snapshot, with: health)
        #expect(replaced.families.map(\.name) == snapshot.families.map(\.name))
        #expect(replaced.asOf == snapshot.asOf)
        for (before, after) in zip(snapshot.families, replaced.families) where !before.name.hasPrefix("devops_twin_webhook_") {
            #expect(before == after)
        }
        #expect(replaced.family("devops_twin_webhook_queue_depth")?.samples.first?.value == 0)
        #expect(replaced.family("devops_twin_webhook_signature_failures_total")?.samples.last?.value == 1000)
        // Into a snapshot without them (webhooks just turned on), they go before build_info.
        let added = MetricsSnapshotBuilder.replacingWebhookFamilies(in: Fixtures.realisticSnapshot(webhooks: false), with: health)
        #expect(added.families.map(\.name) == snapshot.families.map(\.name))
    }
}
