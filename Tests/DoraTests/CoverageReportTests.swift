import Foundation
import Testing

@testable import Dora

/// `report` (table and `--json`) while the history is partial: each window says whether the synced history covers
/// it, and an incomplete one carries no statistic at all (`docs/report-json.md`).
@Suite struct CoverageReportTests {
    typealias F = Fixtures

    /// The worked example of `docs/dora.md` synced only from 2024-01-05 (day 4): `7d` reaches back further, with
    /// its attribution window; `all` needs the whole history.
    static func shallowExample() throws -> RepositoryReport {
        var data = WorkedExampleTests.data
        data.coverage = .partial(from: F.at(4))
        return try F.report(data, windows: [.days(7), .days(2), .all], asOf: F.at(10))
    }

    static func json(_ reports: [RepositoryReport], groups: [GroupReport] = []) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: ReportJSON.encode(reports, groups: groups)) as? [String: Any])
    }

    @Test func jsonMarksIncompleteWindowsAndCarriesNoStatisticForThem() throws {
        let report = try Self.shallowExample()
        let root = try Self.json([report])
        let shop = try #require((root["repositories"] as? [[String: Any]])?.first)
        #expect(shop["coverage"] as? [String: String] == ["state": "partial", "from": "2024-01-05T00:00:00Z"])
        #expect(shop["windowOrder"] as? [String] == ["7d", "2d", "all"])
        let windows = try #require(shop["windows"] as? [String: [String: Any]])
        let week = try #require(windows["7d"])
        #expect(Set(week.keys) == ["complete", "start", "end", "days", "coveredFrom", "reason", "explanation", "repositories"])
        #expect(week["complete"] as? Bool == false)
        #expect(week["reason"] as? String == "beforeCoverage")
        #expect(week["coveredFrom"] as? String == "2024-01-05T00:00:00Z")
        #expect(week["repositories"] as? [String] == ["example/shop"])
        #expect(windows["all"]?["reason"] as? String == "wholeHistory")
        // [day 8, day 10) minus the 7-day attribution window starts before day 4 too: only a window ending the
        // attribution window after day 4 could be complete; with attribution 1 day `2d` is.
        #expect(windows["2d"]?["complete"] as? Bool == false)
        var data = WorkedExampleTests.data
        data.coverage = .partial(from: F.at(4))
        let narrow = try F.report(data, DoraDefinitions(attributionWindow: 86_400), windows: [.days(2)], asOf: F.at(10))
        let covered = try #require(
            ((try Self.json([narrow])["repositories"] as? [[String: Any]])?.first?["windows"] as? [String: [String: Any]])?["2d"])
        #expect(covered["complete"] as? Bool == true)
        #expect((covered["deploymentFrequency"] as? [String: Any])?["deployments"] as? Int == 1)
    }

    /// The incomplete window of `docs/report-json.md`'s example is what the encoder writes.
    @Test func theDocumentedIncompleteWindowIsWhatIsWritten() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/report-json.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let snippet = try #require(text.range(of: #""7d" : { "complete" : false"#))
        let end = try #require(text.range(of: "}", range: snippet.upperBound..<text.endIndex))
        let documented = try #require(
            try JSONSerialization.jsonObject(with: Data(("{" + text[snippet.lowerBound..<end.upperBound] + "}").utf8)) as? [String: Any])
        let root = try Self.json([try Self.shallowExample()])
        let written = try #require(((root["repositories"] as? [[String: Any]])?.first?["windows"] as? [String: Any])?["7d"])
        #expect(NSDictionary(dictionary: documented["7d"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: written as? [String: Any] ?? [:]))
    }

    @Test func theTableSaysWhichWindowsTheHistoryCoversAndShowsNoNumberForTheOthers() throws {
        var data = WorkedExampleTests.data
        data.coverage = .partial(from: F.at(4))
        let report = try F.report(data, DoraDefinitions(attributionWindow: 86_400), windows: [.days(2), .days(7)], asOf: F.at(10))
        let table = ReportTable.render([report])
        let lines = table.split(separator: "\n").map(String.init)
        let covers = try #require(lines.first { $0.hasPrefix("history covers it") })
        #expect(covers.split(separator: " ").suffix(2) == ["yes", "no"])
        let deployments = try #require(lines.first { $0.hasPrefix("deployments ") })
        #expect(deployments.split(separator: " ").suffix(2) == ["1", "n/a"])
        #expect(lines.contains("history: synced from 2024-01-05T00:00:00Z (deeper history is still being synced)"))
        #expect(lines.contains("  7d incomplete: \(IncompleteWindow.Reason.beforeCoverage.explanation)"))
        // Complete history: said once, and every column has numbers.
        let complete = ReportTable.render([try WorkedExampleTests.report()])
        #expect(complete.contains("history: complete\n") && !complete.contains(" n/a"))
    }

    @Test func aGroupNamesTheMembersWhoseHistoryFallsShort() throws {
        var shallow = WorkedExampleTests.data
        shallow.repository = "example/shallow"
        shallow.coverage = .partial(from: F.at(4))
        let group = try DoraEngine.groupReport(
            group: "shop-team",
            members: [
                GroupMember(data: WorkedExampleTests.data, definitions: DoraDefinitions()),
                GroupMember(data: shallow, definitions: DoraDefinitions()),
            ],
            windows: [.days(7)], asOf: F.at(10), benchmark: .v2023)
        let root = try Self.json([], groups: [group])
        let team = try #require((root["groups"] as? [[String: Any]])?.first)
        #expect(team["coverage"] as? [String: String] == ["state": "partial", "from": "2024-01-05T00:00:00Z"])
        let week = try #require((team["windows"] as? [String: [String: Any]])?["7d"])
        #expect(week["complete"] as? Bool == false && week["repositories"] as? [String] == ["example/shallow"])
        #expect(week["leadTime"] == nil)
        #expect(ReportTable.render([], groups: [group]).contains("  7d incomplete: \(IncompleteWindow.Reason.beforeCoverage.explanation) (example/shallow)"))
    }
}
