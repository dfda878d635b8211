import Dora
import Foundation
import Testing

@testable import Exporter

/// Spec v1.2 "Coverage" on `/metrics` and the status page: a window the synced history does not cover is served as
/// `devops_twin_dora_window_complete` 0 with every statistic family absent, and the page says so instead of numbers.
@Suite("Coverage on /metrics and the status page")
struct CoverageExportTests {
    static let shallow = Fixtures.shallow(Fixtures.busyReport("acme/shallow"))

    static func samples(_ snapshot: MetricsSnapshot, subject: (String, String), window: String) -> [String: [MetricSample]] {
        var found: [String: [MetricSample]] = [:]
        for family in snapshot.families {
            let matching = family.samples.filter { sample in
                sample.labels.contains(MetricLabel(subject.0, subject.1)) && sample.labels.contains(MetricLabel("window", window))
            }
            if !matching.isEmpty { found[family.name] = matching }
        }
        return found
    }

    @Test("an incomplete window has window_complete 0 and no other family; a complete one has 1 and its numbers")
    func incompleteWindowsHaveNoStatistics() throws {
        let snapshot = MetricsSnapshotBuilder.build(asOf: Fixtures.asOf, reports: [Self.shallow], build: Fixtures.build)
        let all = Self.samples(snapshot, subject: ("repository", "acme/shallow"), window: "all")
        #expect(all.keys.sorted() == ["devops_twin_dora_window_complete"])
        #expect(all["devops_twin_dora_window_complete"]?.map(\.value) == [0])
        let month = Self.samples(snapshot, subject: ("repository", "acme/shallow"), window: "30d")
        #expect(month["devops_twin_dora_window_complete"]?.map(\.value) == [1])
        #expect(month["devops_twin_dora_lead_time_seconds"]?.isEmpty == false)
        #expect(month["devops_twin_ci_run_duration_seconds"]?.isEmpty == false)
        let coveredFrom = try #require(snapshot.family("devops_twin_history_covered_from_timestamp_seconds"))
        #expect(coveredFrom.samples == [
            MetricSample(labels: [MetricLabel("repository", "acme/shallow")], value: Fixtures.coveredFrom.timeIntervalSince1970)
        ])
        #expect(coveredFrom.unit == "seconds")
    }

    @Test("complete history: every window 1, and no coverage start")
    func completeHistory() {
        let snapshot = MetricsSnapshotBuilder.build(asOf: Fixtures.asOf, reports: [Fixtures.busyReport("acme/api")], build: Fixtures.build)
        #expect(snapshot.family("devops_twin_dora_window_complete")?.samples.map(\.value) == [1, 1, 1, 1])
        #expect(snapshot.family("devops_twin_history_covered_from_timestamp_seconds") == nil)
        // Nothing synced: no coverage start either, and every window 0.
        var none = Fixtures.busyReport("acme/new")
        none.coverage = .none
        none.windowResults = none.windowResults.map {
            .incomplete(
                IncompleteWindow(window: $0.window, start: $0.start, end: $0.end, coverage: .none, reason: .nothingSynced, repositories: ["acme/new"]))
        }
        let empty = MetricsSnapshotBuilder.build(asOf: Fixtures.asOf, reports: [none], build: Fixtures.build)
        #expect(empty.family("devops_twin_dora_window_complete")?.samples.map(\.value) == [0, 0, 0, 0])
        #expect(empty.family("devops_twin_history_covered_from_timestamp_seconds") == nil)
        #expect(empty.family("devops_twin_dora_deployments") == nil)
        #expect(empty.family("devops_twin_dora_open_incidents")?.samples.count == 1)
    }

    @Test("a group's incomplete window is served as such in the group families")
    func groups() {
        let group = GroupReport(
            group: "team", repositories: ["acme/api", "acme/shallow"], asOf: Fixtures.asOf, openIncidents: 0, hasDeployments: true,
            coverage: .partial(from: Fixtures.coveredFrom),
            windowResults: Fixtures.incompleteAll(Fixtures.busyReport("acme/api").windowResults, repositories: ["acme/shallow"]))
        let snapshot = MetricsSnapshotBuilder.build(asOf: Fixtures.asOf, reports: [], groups: [group], build: Fixtures.build)
        let all = Self.samples(snapshot, subject: ("group", "team"), window: "all")
        #expect(all.keys.sorted() == ["devops_twin_group_dora_window_complete"])
        #expect(all.values.flatMap { $0 }.map(\.value) == [0])
        #expect(Self.samples(snapshot, subject: ("group", "team"), window: "7d")["devops_twin_group_dora_window_complete"]?.map(\.value) == [1])
    }

    @Test("the status page marks an incomplete window with how far the history reaches, instead of numbers")
    func statusPage() throws {
        let group = GroupReport(
            group: "team", repositories: ["acme/shallow"], asOf: Fixtures.asOf, openIncidents: 0, hasDeployments: true,
            coverage: .partial(from: Fixtures.coveredFrom), windowResults: Self.shallow.windowResults)
        let content = StatusPageContent(
            asOf: Fixtures.asOf, reports: [Self.shallow], groups: [group], syncHealth: [], build: Fixtures.build)
        let html = StatusPageRenderer.render(content)
        let dom = StatusPageDOM(html)
        let inAll = dom.elements.filter { $0.attributes["data-window"] == "all" }
        #expect(inAll.count == 2, "one marker for the repository, one for the team, and no number")
        for element in inAll {
            #expect(element.text == "history synced from 2025-09-30 00:00:00 UTC; this window needs more")
            #expect(element.attributes["data-value"] == "0")
        }
        #expect(inAll.map { $0.attributes["data-metric"] } == ["devops_twin_dora_window_complete", "devops_twin_group_dora_window_complete"])
        #expect(html.contains(IncompleteWindow.Reason.wholeHistory.explanation.htmlEscaped))
        #expect(html.contains("(acme/shallow)"), "the team's row names the member whose history falls short")
        // The covered windows keep their numbers, and the page's values are what /metrics serves.
        #expect(dom.elements.filter { $0.attributes["data-window"] == "30d" && $0.attributes["data-value"] != nil }.count >= 9)
        let snapshot = MetricsSnapshotBuilder.build(asOf: Fixtures.asOf, reports: [Self.shallow], groups: [group], build: Fixtures.build)
        for element in inAll {
            let family = try #require(snapshot.family(element.attributes["data-metric"] ?? ""))
            #expect(family.samples.contains { $0.labels.contains(MetricLabel("window", "all")) && $0.value == 0 })
        }
    }
}
