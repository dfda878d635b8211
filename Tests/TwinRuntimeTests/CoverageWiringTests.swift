import Dora
import Exporter
import Foundation
import Logging
import Testing
import TwinStore

@testable import TwinRuntime

/// `DoraReports.load` reads each repository's coverage from the store (`history_coverage`), so that `report`, the
/// snapshot and `backfill` mark the same windows incomplete at every instant (spec v1.2 "Coverage").
@Suite struct CoverageWiringTests {
    @Test func reportsAndBackfillMarkWindowsBeyondTheStoresCoverageIncomplete() async throws {
        try await RuntimeHarness.run { harness, httpClient in
            let daemon = TwinDaemon(
                configuration: harness.configuration, store: harness.store, build: BuildInfo(version: "", revision: ""),
                logger: Logger(label: "test"))
            #expect(await (try daemon.makeCycle(httpClient: httpClient)).run() == .success)
            let repositories = harness.configuration.repositories
            let asOf = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let windows: [DoraWindow] = [.days(7), .days(90), .all]
            // A whole sync recorded before coverage rows existed: complete, every window has numbers.
            let before = try #require(try DoraReports.compute(store: harness.store, repositories: repositories, windows: windows, asOf: asOf).reports.first)
            #expect(before.coverage == .complete && before.windowResults.allSatisfy(\.isComplete))

            // The sync says commits reach back 40 days only (the other streams are whole).
            let from = asOf.addingTimeInterval(-40 * 86_400).timeIntervalSince1970.rounded(.down)
            var batch = StoreBatch()
            batch.coverage = TwinStore.progressiveStreams.map { stream in
                StoreBatch.CoverageUpdate(
                    repository: "demo/app", stream: stream, from: stream == "commits" ? Date(timeIntervalSince1970: from) : nil,
                    complete: stream != "commits")
            }
            _ = try harness.store.apply(batch)
            let report = try #require(try DoraReports.compute(store: harness.store, repositories: repositories, windows: windows, asOf: asOf).reports.first)
            #expect(report.coverage == .partial(from: Date(timeIntervalSince1970: from)))
            #expect(report.windowResults[1].incomplete?.reason == .beforeCoverage)
            #expect(report.windowResults[2].incomplete?.reason == .wholeHistory)
            #expect(report.windows.allSatisfy { $0.window == .days(7) })

            // backfill: the 90-day window is incomplete at both instants, so it has no deployments series, only 0s.
            let instants = [asOf.addingTimeInterval(-86_400), asOf]
            let text = try HistoricalSeries.openMetrics(store: harness.store, repositories: repositories, windows: windows, instants: instants)
            for instant in instants {
                let seconds = Int(instant.timeIntervalSince1970)
                #expect(text.contains("devops_twin_dora_window_complete{repository=\"demo/app\",window=\"90d\"} 0 \(seconds)\n"))
                #expect(!text.contains("devops_twin_dora_deployments{repository=\"demo/app\",window=\"90d\"}"))
            }
        }
    }
}
