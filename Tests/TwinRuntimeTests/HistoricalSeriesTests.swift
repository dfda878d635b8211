import Dora
import Exporter
import Foundation
import Logging
import Testing

@testable import TwinRuntime

@Suite struct HistoricalSeriesTests {
    static let first = Date(timeIntervalSince1970: 1_767_225_600)
    static let second = first.addingTimeInterval(86_400)

    static func report(_ repository: String, asOf: Date) throws -> RepositoryReport {
        try DoraEngine.report(
            for: RepositoryData(repository: repository), definitions: DoraDefinitions(), windows: [.days(30)], asOf: asOf)
    }

    static func text() throws -> String {
        HistoricalSeries.openMetrics(points: [
            (first, [try report("o/a", asOf: first), try report("o/b", asOf: first)]),
            (second, [try report("o/a", asOf: second), try report("o/b", asOf: second)]),
        ])
    }

    @Test func eachSeriesIsWrittenTogetherInTimeOrderWithTimestamps() throws {
        let lines = try Self.text().split(separator: "\n").map(String.init)
        let deployments = lines.filter { $0.hasPrefix("devops_twin_dora_deployments{") }
        #expect(
            deployments == [
                "devops_twin_dora_deployments{repository=\"o/a\",window=\"30d\"} 0 1767225600",
                "devops_twin_dora_deployments{repository=\"o/a\",window=\"30d\"} 0 1767312000",
                "devops_twin_dora_deployments{repository=\"o/b\",window=\"30d\"} 0 1767225600",
                "devops_twin_dora_deployments{repository=\"o/b\",window=\"30d\"} 0 1767312000",
            ])
        // Metadata once per family, from the one renderer, and the OpenMetrics end marker.
        #expect(lines.filter { $0 == "# TYPE devops_twin_dora_deployments gauge" }.count == 1)
        #expect(lines.last == "# EOF")
    }

    @Test func onlyDoraAndCIGaugesHaveHistory() throws {
        let names = Set(
            try Self.text().split(separator: "\n").filter { !$0.hasPrefix("#") }.map { String($0.prefix { $0 != "{" && $0 != " " }) })
        #expect(!names.isEmpty)
        #expect(names.allSatisfy { HistoricalSeries.isHistorical($0) })
        #expect(!names.contains("devops_twin_build_info"))
    }

    @Test func teamsHaveHistoryToo() throws {
        let members = [
            GroupMember(data: RepositoryData(repository: "o/a"), definitions: DoraDefinitions()),
            GroupMember(data: RepositoryData(repository: "o/b"), definitions: DoraDefinitions()),
        ]
        var groups: [Date: [GroupReport]] = [:]
        for instant in [Self.first, Self.second] {
            groups[instant] = [
                try DoraEngine.groupReport(group: "team", members: members, windows: [.days(30)], asOf: instant, benchmark: .v2023)
            ]
        }
        let text = HistoricalSeries.openMetrics(
            points: [
                (Self.first, [try Self.report("o/a", asOf: Self.first)]), (Self.second, [try Self.report("o/a", asOf: Self.second)]),
            ], groups: groups)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(
            lines.filter { $0.hasPrefix("devops_twin_group_dora_deployments{") } == [
                "devops_twin_group_dora_deployments{group=\"team\",window=\"30d\"} 0 1767225600",
                "devops_twin_group_dora_deployments{group=\"team\",window=\"30d\"} 0 1767312000",
            ])
        #expect(!lines.contains { $0.hasPrefix("devops_twin_group_member_info") }, "membership is live, not history")
    }

    @Test func theLiveExpositionHasNoTimestamps() throws {
        let snapshot = MetricsSnapshotBuilder.build(
            asOf: Self.first, reports: [try Self.report("o/a", asOf: Self.first)], build: BuildInfo(version: "", revision: ""))
        let samples = ExpositionRenderer.render(snapshot, format: .openMetrics).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(samples.allSatisfy { $0.split(separator: " ").count == 2 })
    }

    @Test func eachPointFromTheStoreIsWhatTheReportSaysAtThatInstant() async throws {
        try await RuntimeHarness.run { harness, httpClient in
            let daemon = TwinDaemon(
                configuration: harness.configuration, store: harness.store, build: BuildInfo(version: "", revision: ""),
                logger: Logger(label: "test"))
            #expect(await (try daemon.makeCycle(httpClient: httpClient)).run() == .success)
            let end = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let instants = [end.addingTimeInterval(-30 * 86_400), end]
            let repositories = harness.configuration.repositories
            let text = try HistoricalSeries.openMetrics(
                store: harness.store, repositories: repositories, windows: [.days(30)], instants: instants)
            for instant in instants {
                let report = try #require(
                    try DoraReports.compute(store: harness.store, repositories: repositories, windows: [.days(30)], asOf: instant).reports
                        .first)
                let deployments = try #require(report.windows.first?.deployments)
                let line =
                    "devops_twin_dora_deployments{repository=\"demo/app\",window=\"30d\"} \(deployments) \(Int(instant.timeIntervalSince1970))\n"
                #expect(text.contains(line))
            }
        }
    }
}
