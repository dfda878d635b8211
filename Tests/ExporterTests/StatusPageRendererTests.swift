import Dora
import Foundation
import Testing

@testable import Exporter

@Suite("Status page renderer")
struct StatusPageRendererTests {
    static let hostileRepository = #"acme/<script>alert("x")</script>&'"#

    static func content(
        repositories: [String] = Fixtures.realisticRepositories, trend: DoraTrend? = nil,
        rateLimits: [RateLimitReading] = [RateLimitReading(resource: "core", limit: 5_000, remaining: 4_321, reset: Fixtures.asOf.addingTimeInterval(1_800))]
    ) -> StatusPageContent {
        let reports = repositories.map { name in
            name == Fixtures.awkwardRepository ? Fixtures.quietReport(name, workflows: [Fixtures.awkwardWorkflow]) : Fixtures.busyReport(name)
        }
        return StatusPageContent(
            asOf: Fixtures.asOf, reports: reports, syncHealth: repositories.map(Fixtures.syncHealth), rateLimits: rateLimits,
            trend: trend, build: Fixtures.build)
    }

    @Test("every number on the page is the value /metrics serves for the series it names")
    func numbersMatchTheSnapshot() throws {
        let content = Self.content()
        let snapshot = MetricsSnapshotBuilder.build(
            asOf: content.asOf, reports: content.reports, syncHealth: content.syncHealth, rateLimits: content.rateLimits,
            build: content.build)
        let dom = StatusPageDOM(StatusPageRenderer.render(content))
        let valued = dom.elements.filter { $0.attributes["data-value"] != nil }
        // The busy repository's 4 windows x 9 values, the quiet one's 7d deployments per day (0), sync times, rate limit,
        // snapshot time.
        #expect(valued.count == 4 * 9 + 1 + 2 * 2 + 1 + 1)
        for element in valued {
            let name = try #require(element.attributes["data-metric"])
            let labels = StatusPageDOM.labels(of: element)
            let family = try #require(snapshot.family(name), "\(name) is not in the snapshot")
            let sample = try #require(
                family.samples.first { Dictionary(uniqueKeysWithValues: $0.labels.map { ($0.name, $0.value) }) == labels },
                "no \(name) sample with labels \(labels)")
            #expect(element.attributes["data-value"] == ExpositionRenderer.formatValue(sample.value), "\(name) \(labels)")
        }
    }

    @Test("an absent statistic reads 'no data' and names no value, never 0 or NaN")
    func absentStatistics() throws {
        let content = Self.content()
        let snapshot = MetricsSnapshotBuilder.build(asOf: content.asOf, reports: content.reports, build: content.build)
        let dom = StatusPageDOM(StatusPageRenderer.render(content))
        let quiet = dom.elements.filter {
            $0.attributes["data-repository"] == Fixtures.awkwardRepository && $0.attributes["data-window"] != nil
                && $0.attributes["data-value"] == nil
        }
        // Per window (7d, all): lead time, change failure, time to restore, rework, 4 levels; `all` has no days either.
        #expect(quiet.count == 8 + 9)
        for element in quiet {
            #expect(element.text == "no data" || element.text == "no level", "\(element.attributes)")
            let labels = StatusPageDOM.labels(of: element)
            let absent = snapshot.family(element.attributes["data-metric"] ?? "")?.samples.allSatisfy {
                Dictionary(uniqueKeysWithValues: $0.labels.map { ($0.name, $0.value) }) != labels
            }
            #expect(absent != false, "\(labels) is absent on the page but present in /metrics")
        }
        // A real zero is a number: 0 deployments in 7 days is 0.00 per day.
        let perDay = try #require(dom.elements.first {
            $0.attributes["data-repository"] == Fixtures.awkwardRepository && $0.attributes["data-window"] == "7d"
                && $0.attributes["data-metric"] == "devops_twin_dora_deployments_per_day"
        })
        #expect(perDay.attributes["data-value"] == "0")
        #expect(perDay.text == "0.00 / day")
    }

    @Test("non-finite values from the engine are shown as 'no data'")
    func nonFinite() {
        var report = Fixtures.busyReport("acme/api")
        report.windows[0].deploymentsPerDay = .nan
        report.windows[0].leadTime.p50 = .infinity
        let html = StatusPageRenderer.render(StatusPageContent(asOf: Fixtures.asOf, reports: [report], build: Fixtures.build))
        let dom = StatusPageDOM(html)
        let window = dom.elements.filter { $0.attributes["data-window"] == "7d" }
        for metric in ["devops_twin_dora_deployments_per_day", "devops_twin_dora_lead_time_seconds"] {
            let element = window.first { $0.attributes["data-metric"] == metric }
            #expect(element?.text == "no data")
            #expect(element?.attributes["data-value"] == nil)
        }
        #expect(!html.lowercased().contains("nan"))
    }

    @Test("every string from the configuration or GitHub is HTML-escaped")
    func escaping() {
        var report = Fixtures.busyReport(Self.hostileRepository)
        report.definitions.incidentRules = [["<img src=x onerror=alert(1)>"]]
        report.windows.append(
            Fixtures.emptyWindow(DoraWindow(name: "<b>w</b>", length: 86_400), days: 1, workflows: []))
        var health = Fixtures.syncHealth(Self.hostileRepository)
        health.lastOutcome = "<i>odd</i>"
        health.runsByResult["<u>x</u>"] = 1
        let html = StatusPageRenderer.render(
            StatusPageContent(
                asOf: Fixtures.asOf, reports: [report], syncHealth: [health],
                rateLimits: [RateLimitReading(resource: "<em>core</em>", limit: 10, remaining: 1, reset: Fixtures.asOf)],
                trend: DoraTrend(window: .days(30), points: [DoraTrend.Point(asOf: Fixtures.asOf, reports: [report])]),
                build: BuildInfo(version: "<v1>", revision: "\"r\"")))
        for raw in ["<script", "<img", "<b>", "<i>", "<u>", "<em>", "<v1>", "\"r\""] {
            #expect(!html.contains(raw), "\(raw) is not escaped")
        }
        #expect(html.contains("acme/&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("id=\"window-&lt;b&gt;w&lt;/b&gt;\""))
        #expect(html.contains("&lt;em&gt;core&lt;/em&gt;"))
        let dom = StatusPageDOM(html)
        #expect(dom.elements.contains { $0.attributes["data-repository"] == Self.hostileRepository })
    }

    @Test(
        "htmlEscaped replaces the five characters HTML gives meaning to, and nothing else",
        arguments: [
            ("plain/name", "plain/name"), ("a&b", "a&amp;b"), ("<x>", "&lt;x&gt;"), (#"say "hi""#, "say &quot;hi&quot;"),
            ("it's", "it&#39;s"), ("ünïcødé ✓", "ünïcødé ✓"), ("&amp;", "&amp;amp;"),
        ])
    func escapingTable(raw: String, escaped: String) {
        #expect(raw.htmlEscaped == escaped)
    }

    @Test("the page is plain HTML: no script, the endpoint links kept, a section per window with each repository")
    func structure() {
        let html = StatusPageRenderer.render(Self.content())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.lowercased().contains("<script"))
        for link in ["/metrics", "/healthz", "/readyz"] { #expect(html.contains("href=\"\(link)\"")) }
        for window in ["7d", "30d", "90d", "all"] {
            #expect(html.contains("<section class=\"window\" id=\"window-\(window)\">"))
            #expect(html.contains("href=\"#window-\(window)\""))
        }
        #expect(html.contains("<th scope=\"row\" class=\"repo\">acme/api</th>"))
        #expect(html.contains("2025-11-29 00:00:00 UTC"))
        #expect(html.contains("<span class=\"level level-elite\""))
        #expect(html.contains("7.00 / week · 7 deployments"))
        #expect(html.contains("<span class=\"outcome outcome-none\">first sync not finished</span>"))
        #expect(html.contains("41 success · 2 failed"))
        #expect(html.contains("4,321</span> of 5,000 requests left"))
        #expect(html.contains("devops-twin 1.2.3 (abc1234)"))
    }

    @Test("the last sync outcome is a badge; an unknown outcome gets the neutral one")
    func outcomes() {
        var health = Fixtures.syncHealth("acme/api")
        for (outcome, badge) in [("success", "success"), ("failed", "failed"), ("rate_limited", "rate limited"), ("weird", "weird")] {
            health.lastOutcome = outcome
            let html = StatusPageRenderer.render(
                StatusPageContent(asOf: Fixtures.asOf, reports: [], syncHealth: [health], build: Fixtures.build))
            let known = outcome == "weird" ? "other" : outcome
            #expect(html.contains("<span class=\"outcome outcome-\(known)\">\(badge)</span>"))
        }
    }

    @Test("sync health says 'never synced' and the rate limit 'no reading yet' before the first sync")
    func neverSynced() {
        let report = Fixtures.quietReport("acme/new", workflows: [])
        let html = StatusPageRenderer.render(
            StatusPageContent(
                asOf: Fixtures.asOf, reports: [report], syncHealth: [RepositorySyncHealth(repository: "acme/new")], build: Fixtures.build))
        #expect(html.contains("never synced"))
        #expect(html.contains("no reading yet"))
        #expect(html.contains("none yet"))
        #expect(!html.contains("id=\"trends\""))
    }

    @Test("the trend section draws each repository's trend-window values, oldest first, with gaps for no data")
    func trendCharts() throws {
        let instants = (0..<3).map { Fixtures.asOf.addingTimeInterval(Double($0 - 2) * 7 * 86_400) }
        func report(_ perDay: Double?, leadTime: Double?) -> RepositoryReport {
            var report = Fixtures.busyReport("acme/api")
            report.windows = [Fixtures.busyWindow(.days(30), days: 30, workflows: [])]
            report.windows[0].deploymentsPerDay = perDay
            report.windows[0].leadTime = leadTime.map { DurationStatistics(samples: 1, p50: $0) } ?? .empty
            return report
        }
        let trend = DoraTrend(
            window: .days(30),
            points: [
                DoraTrend.Point(asOf: instants[0], reports: [report(1, leadTime: nil)]),
                DoraTrend.Point(asOf: instants[1], reports: [report(2, leadTime: 3_600)]),
                DoraTrend.Point(asOf: instants[2], reports: [report(0.5, leadTime: 7_200)]),
            ])
        #expect(trend.series(for: "acme/api").map { $0?.deploymentsPerDay } == [1, 2, 0.5])
        #expect(trend.series(for: "acme/other").allSatisfy { $0 == nil })
        let html = StatusPageRenderer.render(Self.content(repositories: ["acme/api"], trend: trend))
        let chart = TrendChart()
        #expect(html.contains("d=\"\(chart.path([7, 14, 3.5]))\""))
        #expect(html.contains("d=\"\(chart.path([nil, 3_600, 7_200]))\""))
        #expect(html.contains("at 3 instants from 2025-11-15 to 2025-11-29"))
        #expect(html.contains("<figcaption>Deployments / week<span class=\"latest\">3.50</span></figcaption>"))
        #expect(html.contains("<figcaption>Lead time p50<span class=\"latest\">2h 00m</span></figcaption>"))
    }

    @Test("formats: durations in the report's units, percentages, counts and UTC instants")
    func formats() {
        #expect(StatusPageFormat.duration(45) == "45s")
        #expect(StatusPageFormat.duration(725) == "12m 05s")
        #expect(StatusPageFormat.duration(12_000) == "3h 20m")
        #expect(StatusPageFormat.duration(187_200) == "2d 04h")
        #expect(StatusPageFormat.duration(nil) == nil)
        #expect(StatusPageFormat.duration(.nan) == nil)
        #expect(StatusPageFormat.percent(0.125) == "12.5%")
        #expect(StatusPageFormat.number(1.0 / 3) == "0.33")
        #expect(StatusPageFormat.count(1_234_567) == "1,234,567")
        #expect(StatusPageFormat.count(999) == "999")
        #expect(StatusPageFormat.instant(Fixtures.asOf) == "2025-11-29 00:00:00 UTC")
        #expect(StatusPageFormat.machineInstant(Fixtures.asOf) == "2025-11-29T00:00:00Z")
    }
}
