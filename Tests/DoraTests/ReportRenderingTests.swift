import Foundation
import Testing

@testable import Dora

@Suite struct ReportRenderingTests {
    typealias F = Fixtures

    static func reports() throws -> [RepositoryReport] {
        let example = try WorkedExampleTests.report()
        let empty = try F.report(
            RepositoryData(repository: "example/empty"), DoraDefinitions(ciWorkflows: ["ci"]), windows: [.days(7), .all],
            asOf: F.at(10))
        return [example, empty]
    }

    static func parsed() throws -> [String: Any] {
        let data = ReportJSON.encode(
            try reports(), entityCounts: ["example/shop": ["commits": 5, "releases": 4, "issues": 5]])
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func jsonCarriesEveryMetricWithStatisticsAndSamples() throws {
        let root = try Self.parsed()
        #expect(root["format"] as? String == ReportJSON.format)
        let repositories = try #require(root["repositories"] as? [[String: Any]])
        #expect(repositories.count == 2)
        let shop = repositories[0]
        #expect(shop["repository"] as? String == "example/shop")
        #expect(shop["asOf"] as? String == "2024-01-11T00:00:00Z")
        #expect(shop["openIncidents"] as? Int == 1)
        #expect((shop["entities"] as? [String: Int]) == ["commits": 5, "releases": 4, "issues": 5])
        #expect(shop["windowOrder"] as? [String] == ["7d", "all"])
        let definitions = try #require(shop["definitions"] as? [String: Any])
        #expect(definitions["deploymentSource"] as? String == "releases")
        #expect(definitions["attributionWindowSeconds"] as? Double == 604_800)
        #expect(definitions["benchmark"] as? String == "2023")
        #expect(definitions["commitTime"] as? String == "committed")
        #expect(definitions["includeBaseline"] as? Bool == false)
        #expect(definitions["incidentRules"] as? [[String]] == [["incident"]])
        #expect(definitions["deploymentPattern"] is NSNull)

        let windows = try #require(shop["windows"] as? [String: [String: Any]])
        let week = try #require(windows["7d"])
        #expect(week["days"] as? Double == 7)
        #expect(week["start"] as? String == "2024-01-04T00:00:00Z")
        let frequency = try #require(week["deploymentFrequency"] as? [String: Any])
        #expect(frequency["deployments"] as? Int == 3)
        #expect(frequency["perWeek"] as? Double == 3)
        let lead = try #require(week["leadTime"] as? [String: Any])
        #expect(lead["samples"] as? Int == 3)
        #expect(lead["p50"] as? Double == 86_400)
        #expect(lead["p75"] as? Double == 129_600)
        #expect(lead["p90"] as? Double == 155_520)
        #expect(lead["mean"] as? Double == 100_800)
        let cfr = try #require(week["changeFailureRate"] as? [String: Any])
        #expect(abs((cfr["value"] as? Double ?? 0) - 2.0 / 3.0) < 1e-12)
        #expect(cfr["samples"] as? Int == 3)
        let restore = try #require(week["timeToRestore"] as? [String: Any])
        #expect(restore["p50"] as? Double == 14_400)
        #expect(restore["p75"] == nil)
        #expect((week["reworkRate"] as? [String: Any])?["value"] as? Double == 0)
        #expect(
            week["levels"] as? [String: String]
                == ["deploymentFrequency": "high", "leadTime": "high", "changeFailureRate": "low", "timeToRestore": "high"])
    }

    @Test func jsonWritesNullForNoDataNeverZero() throws {
        let repositories = try #require(try Self.parsed()["repositories"] as? [[String: Any]])
        let empty = repositories[1]
        #expect((empty["entities"] as? [String: Int]) == [:])
        let windows = try #require(empty["windows"] as? [String: [String: Any]])
        let week = try #require(windows["7d"])
        let lead = try #require(week["leadTime"] as? [String: Any])
        #expect(lead["samples"] as? Int == 0)
        for key in ["p50", "p75", "p90", "mean"] { #expect(lead[key] is NSNull, "\(key)") }
        #expect((week["changeFailureRate"] as? [String: Any])?["value"] is NSNull)
        let levels = try #require(week["levels"] as? [String: Any])
        #expect(levels.count == 4)
        #expect(levels.values.allSatisfy { $0 is NSNull })
        let ci = try #require((week["ci"] as? [[String: Any]])?.first)
        #expect(ci["workflow"] as? String == "ci")
        #expect((ci["duration"] as? [String: Any])?["p95"] is NSNull)
        let all = try #require(windows["all"])
        #expect((all["deploymentFrequency"] as? [String: Any])?["perDay"] is NSNull)
    }

    @Test func jsonIsStableWithSortedKeys() throws {
        let reports = try Self.reports()
        let first = ReportJSON.string(reports)
        #expect(first == ReportJSON.string(reports))
        let format = try #require(first.range(of: "\"format\""))
        let repositories = try #require(first.range(of: "\"repositories\""))
        #expect(format.lowerBound < repositories.lowerBound)
        #expect(!first.contains("nan") && !first.contains("inf"))
    }

    @Test func tableShowsMetricsLevelsSamplesAndDefinitions() throws {
        let text = ReportTable.render(try Self.reports(), entityCounts: ["example/shop": ["commits": 5]])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("example/shop") && $0.contains("2024-01-11T00:00:00Z") })
        let header = try #require(lines.first { $0.hasPrefix("window") })
        #expect(header.contains("7d") && header.contains("all"))
        let lead = try #require(lines.first { $0.hasPrefix("lead time p50") })
        #expect(lead.hasSuffix("1d 00h         1d 00h"))
        let cfr = try #require(lines.first { $0.hasPrefix("change failure rate") })
        #expect(cfr.contains("66.7%") && cfr.contains("50.0%"))
        #expect(lines.contains("open incidents at as-of: 1"))
        #expect(lines.contains("entities: commits 5"))
        #expect(text.contains("labels incident, attributed within 7d 00h"))
        #expect(text.contains("benchmark        DORA 2023"))
        let emptyLead = try #require(lines.last { $0.hasPrefix("lead time p50") })
        #expect(emptyLead.hasSuffix("-              -"))
        #expect(text.contains("CI ci"))
    }

    @Test(arguments: [(45.0, "45s"), (725, "12m 05s"), (12_000, "3h 20m"), (187_200, "2d 04h")])
    func durationsReadForPeople(_ seconds: Double, _ expected: String) {
        #expect(ReportTable.duration(seconds) == expected)
    }
}
