import Dora
import Foundation
import Testing

@testable import Exporter

@Suite("Metrics snapshot builder")
struct MetricsSnapshotBuilderTests {
    @Test("a realistic snapshot has every family of the catalogue")
    func everyFamilyPresent() {
        let snapshot = Fixtures.realisticSnapshot()
        let present = snapshot.families.map(\.name)
        #expect(present == MetricsSnapshotBuilder.familyNames)
        #expect(snapshot.families.allSatisfy { !$0.samples.isEmpty })
    }

    @Test("the catalogue matches the family table of docs/metrics.md")
    func catalogueMatchesDocs() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/metrics.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let documented = text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `devops_twin_") else { return nil }
            return line.split(separator: "`").dropFirst().first.map(String.init)
        }
        #expect(documented == MetricsSnapshotBuilder.familyNames)
    }

    @Test("groups have families of their own, labelled group, so no sum over a DORA family counts a repository twice")
    func groupFamilies() throws {
        let snapshot = Fixtures.realisticSnapshot()
        for family in snapshot.families {
            let labelNames = Set(family.samples.flatMap { $0.labels.map(\.name) })
            if family.name == "devops_twin_group_member_info" {
                #expect(family.samples.map { $0.labels.map(\.value) } == Fixtures.realisticRepositories.map { ["platform", $0] })
            } else if family.name.hasPrefix("devops_twin_group_") {
                #expect(labelNames.contains("group") && !labelNames.contains("repository"), "\(family.name)")
                let base = "devops_twin_" + family.name.dropFirst("devops_twin_group_".count)
                let repositoryFamily = try #require(snapshot.families.first { $0.name == base }, "\(base)")
                #expect(repositoryFamily.unit == family.unit && repositoryFamily.type == family.type)
            } else {
                #expect(!labelNames.contains("group"), "\(family.name)")
            }
        }
        let deployments = try #require(snapshot.families.first { $0.name == "devops_twin_group_dora_deployments" })
        #expect(deployments.samples.contains { $0.labels == [MetricLabel("group", "platform"), MetricLabel("window", "30d")] })
    }

    @Test("statistics without samples are absent while their samples gauge says 0")
    func absentStatistics() throws {
        let snapshot = Fixtures.realisticSnapshot()
        let quiet = Fixtures.awkwardRepository
        let statisticFamilies: [(String, String)] = [
            ("devops_twin_dora_lead_time_seconds", "devops_twin_dora_lead_time_samples"),
            ("devops_twin_dora_time_to_restore_seconds", "devops_twin_dora_time_to_restore_samples"),
            ("devops_twin_dora_failed_deployment_recovery_seconds", "devops_twin_dora_failed_deployment_recovery_samples"),
            ("devops_twin_ci_run_duration_seconds", "devops_twin_ci_run_duration_samples"),
            ("devops_twin_ci_recovery_seconds", "devops_twin_ci_recovery_samples"),
        ]
        for (statistic, count) in statisticFamilies {
            let values = try #require(snapshot.family(statistic)).samples
            #expect(!values.contains { $0.label("repository") == quiet }, "\(statistic) must be absent without samples")
            #expect(values.contains { $0.label("repository") == "acme/api" })
            let counts = try #require(snapshot.family(count)).samples.filter { $0.label("repository") == quiet }
            #expect(!counts.isEmpty && counts.allSatisfy { $0.value == 0 }, "\(count) must be present with 0")
        }
    }

    @Test("ratios with a zero denominator, per-day rates of empty windows and ungraded levels are absent")
    func absentRatiosAndLevels() throws {
        let snapshot = Fixtures.realisticSnapshot()
        let quiet = Fixtures.awkwardRepository
        for name in ["devops_twin_dora_change_failure_ratio", "devops_twin_dora_rework_ratio", "devops_twin_ci_success_ratio", "devops_twin_dora_level"] {
            let samples = try #require(snapshot.family(name)).samples
            #expect(!samples.contains { $0.label("repository") == quiet }, "\(name)")
        }
        let perDay = try #require(snapshot.family("devops_twin_dora_deployments_per_day")).samples
        #expect(perDay.filter { $0.label("repository") == quiet }.map { $0.label("window") } == ["7d"])
        let samplesGauge = try #require(snapshot.family("devops_twin_dora_change_failure_samples")).samples
        // 7d only: the quiet repository's `all` window is incomplete (its history is shallow), so it has no family.
        #expect(samplesGauge.filter { $0.label("repository") == quiet }.map(\.value) == [0])
        let levels = try #require(snapshot.family("devops_twin_dora_level")).samples
        #expect(levels.filter { $0.label("window") == "7d" }.map { $0.label("metric") ?? "" }.sorted() == GradedMetric.allCases.map(\.rawValue).sorted())
    }

    @Test("label sets of a repository removed from the configuration disappear from the next snapshot")
    func disappearingLabelSets() {
        let before = Fixtures.realisticSnapshot()
        let after = Fixtures.realisticSnapshot(repositories: ["acme/api"])
        let beforeRepositories = Set(before.families.flatMap(\.samples).compactMap { $0.label("repository") })
        let afterRepositories = Set(after.families.flatMap(\.samples).compactMap { $0.label("repository") })
        #expect(beforeRepositories == ["acme/api", Fixtures.awkwardRepository])
        #expect(afterRepositories == ["acme/api"])
        let text = ExpositionRenderer.render(after, format: .prometheusText)
        #expect(!text.contains("quoted"))
    }

    @Test("Neo4j families are absent when Neo4j is not configured")
    func noNeo4j() {
        let snapshot = Fixtures.realisticSnapshot(neo4j: false)
        for name in ["devops_twin_neo4j_up", "devops_twin_projection_last_success_timestamp_seconds", "devops_twin_projection_runs_total", "devops_twin_projection_lag_items"] {
            #expect(snapshot.family(name) == nil, "\(name)")
        }
        #expect(snapshot.family("devops_twin_build_info") != nil)
    }

    @Test("outcome counters always carry the known results, 0 when never seen")
    func knownResultsZeroFilled() throws {
        let snapshot = MetricsSnapshotBuilder.build(
            asOf: Fixtures.asOf, reports: [], syncHealth: [RepositorySyncHealth(repository: "o/r", runsByResult: ["success": 3, "weird": 1])],
            build: Fixtures.build)
        let runs = try #require(snapshot.family("devops_twin_sync_runs_total")).samples
        #expect(runs.map { $0.label("result") ?? "" } == ["success", "failed", "rate_limited", "cancelled", "weird"])
        #expect(runs.map(\.value) == [3, 0, 0, 0, 1])
        #expect(snapshot.family("devops_twin_sync_last_success_timestamp_seconds") == nil)
    }

    @Test("a snapshot with no repositories still serves its timestamp and build info")
    func emptySnapshot() {
        let snapshot = MetricsSnapshotBuilder.build(asOf: Fixtures.asOf, reports: [], build: Fixtures.build)
        #expect(snapshot.families.map(\.name) == ["devops_twin_snapshot_timestamp_seconds", "devops_twin_build_info"])
        #expect(snapshot.family("devops_twin_snapshot_timestamp_seconds")?.samples.first?.value == Fixtures.asOf.timeIntervalSince1970)
    }

    @Test("a repository reported twice is exported once and non-finite values never appear")
    func duplicatesAndNonFinite() throws {
        var report = Fixtures.busyReport("o/r")
        report.windows[0].deploymentsPerDay = .infinity
        report.windows[0].leadTime.p50 = .nan
        let snapshot = MetricsSnapshotBuilder.build(
            asOf: Fixtures.asOf, reports: [report, Fixtures.busyReport("o/r")], build: Fixtures.build)
        let deployments = try #require(snapshot.family("devops_twin_dora_deployments")).samples
        #expect(deployments.count == report.windows.count)
        #expect(snapshot.families.flatMap(\.samples).allSatisfy { $0.value.isFinite })
        let perDay = try #require(snapshot.family("devops_twin_dora_deployments_per_day")).samples
        #expect(!perDay.contains { $0.label("window") == "7d" })
    }

    @Test(
        "the definition info describes the deployment source, pattern, incident rules and benchmark",
        arguments: [
            (DoraDefinitions(), "releases", "", "incident", "2023"),
            (DoraDefinitions(deploymentSource: .releases(includePrereleases: true), benchmark: .v2021), "releases+prereleases", "", "incident", "2021"),
            (DoraDefinitions(deploymentSource: .tags, deploymentPattern: "^v\\d", incidentRules: [["bug", "prod"], ["sev1"]]), "tags", "^v\\d", "bug&prod|sev1", "2023"),
            (DoraDefinitions(deploymentSource: .workflow(names: ["deploy", "release.yml"])), "workflow:deploy,release.yml", "", "incident", "2023"),
            (DoraDefinitions(deploymentSource: .deployments(environmentPattern: "^production$")), "deployments:^production$", "", "incident", "2023"),
        ])
    func definitionInfo(definitions: DoraDefinitions, source: String, pattern: String, rules: String, benchmark: String) {
        let labels = MetricsSnapshotBuilder.definitionLabels(definitions)
        #expect(labels.map(\.name) == ["deployment_source", "deployment_pattern", "incident_rules", "benchmark"])
        #expect(labels.map(\.value) == [source, pattern, rules, benchmark])
    }
}
