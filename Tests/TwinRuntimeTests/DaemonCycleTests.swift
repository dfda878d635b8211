import Dora
import Exporter
import Foundation
import Logging
import Sync
import Synchronization
import Testing

@testable import TwinRuntime

@Suite struct DaemonCycleTests {
    @Test func aCycleSyncsTheStoreAndPublishesItsNumbers() async throws {
        try await RuntimeHarness.run { harness, httpClient in
            let daemon = TwinDaemon(
                configuration: harness.configuration, store: harness.store, build: BuildInfo(version: "t", revision: "r"),
                logger: Logger(label: "test"))
            let summaries = SummaryLog()
            let cycle = try daemon.makeCycle(httpClient: httpClient) { summaries.append($0) }

            #expect(await cycle.run() == .success)

            #expect(summaries.values.map { $0.repositories.map(\.outcome) } == [[.success]])
            #expect(try harness.store.syncHealth("demo/app").lastOutcome == "success")
            let snapshot = try #require(daemon.holder.rendered?.snapshot, "the cycle published no snapshot")
            // The published numbers are the report's numbers for the same store and instant.
            let report = try #require(
                try DoraReports.compute(
                    store: harness.store, repositories: harness.configuration.repositories,
                    windows: harness.configuration.dora.windows, asOf: snapshot.asOf
                ).reports.first)
            let expected = try #require(report.windows.first { $0.window.name == "30d" }?.deployments)
            let published = snapshot.family("devops_twin_dora_deployments")?.samples.first { $0.label("window") == "30d" }?.value
            #expect(expected > 0)
            #expect(published == Double(expected))
            #expect(
                snapshot.family("devops_twin_build_info")?.samples.first?.labels == [
                    MetricLabel("version", "t"), MetricLabel("revision", "r"),
                ])
        }
    }

    @Test(arguments: [
        ([SyncOutcome.success, .success], SyncSchedule.Outcome.success),
        ([.success, .rateLimited], .rateLimited(resetAt: Date(timeIntervalSince1970: 60))),
        ([.rateLimited, .failed], .failed),
        ([.failed, .cancelled], .cancelled),
    ])
    func theScheduleHearsTheWorstOutcome(outcomes: [SyncOutcome], expected: SyncSchedule.Outcome) {
        let summary = SyncSummary(
            repositories: outcomes.enumerated().map {
                RepositorySyncResult(repository: "o/r\($0.offset)", outcome: $0.element, startedAt: .now, finishedAt: .now)
            })
        #expect(TwinDaemon.scheduleOutcome(summary, rateLimitReset: Date(timeIntervalSince1970: 60)) == expected)
    }
}

/// Summaries handed to `afterCycle`, in order.
final class SummaryLog: Sendable {
    private let state = Mutex<[SyncSummary]>([])
    func append(_ summary: SyncSummary) { state.withLock { $0.append(summary) } }
    var values: [SyncSummary] { state.withLock { $0 } }
}
