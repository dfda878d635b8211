import Dora
import Foundation
import NIOCore
import Testing

@testable import Exporter

/// A snapshot kept as per-repository rendered series plus the global families renders byte for byte as the whole
/// snapshot built in one go, in both formats; `exporter.exclude` drops exactly the families and windows named.
@Suite("Composed snapshot: per-repository series")
struct ComposedSnapshotTests {
    static let projection = ProjectionHealth.Repository(
        repository: "acme/api", lastSuccess: Fixtures.asOf.addingTimeInterval(-60), runsByResult: ["success": 12, "failed": 1], lagItems: 17)

    /// The realistic fixture's inputs, composed the way `SnapshotRefresh` composes them.
    static func composed(filter: MetricsFilter = .none) -> (whole: MetricsSnapshot, composed: ComposedSnapshot) {
        let whole = Fixtures.realisticSnapshot()
        let repositories = Fixtures.realisticRepositories
        let reports = repositories.map { name in
            name == Fixtures.awkwardRepository
                ? Fixtures.shallow(Fixtures.quietReport(name, workflows: [Fixtures.awkwardWorkflow])) : Fixtures.busyReport(name)
        }
        let series = zip(repositories, reports).map { name, report in
            RepositorySeries(
                repository: name, report: report, syncHealth: Fixtures.syncHealth(name),
                projection: ProjectionHealth.Repository(
                    repository: name, lastSuccess: Fixtures.asOf.addingTimeInterval(-60), runsByResult: ["success": 12, "failed": 1],
                    lagItems: 17),
                filter: filter)
        }
        // The global part: everything the whole snapshot has that is not in a repository's series.
        let perRepository = Set(series.flatMap { $0.families.map(\.name) })
        let global = MetricsSnapshot(asOf: whole.asOf, families: whole.families.filter { !perRepository.contains($0.name) })
        return (whole, ComposedSnapshot(global: filter.apply(global), repositories: series, filter: filter))
    }

    @Test("assembled from rendered series, the exposition is byte for byte the whole snapshot's", arguments: ExpositionFormat.allCases)
    func sameBytes(format: ExpositionFormat) throws {
        let (whole, composed) = Self.composed()
        let expected = ExpositionRenderer.render(whole, format: format)
        let actual = String(buffer: composed.render(format))
        #expect(actual == expected)
        #expect(composed.snapshot == whole)
        #expect(composed.seriesCount == whole.families.reduce(0) { $0 + $1.samples.count })
        let rendered = try RenderedSnapshot(composed)
        #expect(String(buffer: rendered.body(format, gzip: false)) == expected)
    }

    @Test("a repository's series carry its DORA, CI, sync and projection families only")
    func repositoryFamilies() {
        let series = RepositorySeries(
            repository: "acme/api", report: Fixtures.busyReport("acme/api"), syncHealth: Fixtures.syncHealth("acme/api"),
            projection: Self.projection)
        let names = Set(series.families.map(\.name))
        #expect(names.contains("devops_twin_dora_deployments"))
        #expect(names.contains("devops_twin_ci_runs"))
        #expect(names.contains("devops_twin_sync_last_success_timestamp_seconds"))
        #expect(names.contains("devops_twin_projection_lag_items"))
        #expect(!names.contains("devops_twin_build_info"))
        #expect(!names.contains(where: { $0.hasPrefix("devops_twin_group_") }))
        #expect(series.families.allSatisfy { family in family.samples.allSatisfy { $0.label("repository") == "acme/api" } })
    }

    @Test("replacing the webhook families keeps the repositories' series")
    func webhookReplacement() {
        let (_, composed) = Self.composed()
        let replaced = composed.replacingWebhookFamilies(with: Fixtures.webhookHealth(["acme/api"]))
        #expect(replaced.repositories.count == composed.repositories.count)
        let text = String(buffer: replaced.render(.prometheusText))
        #expect(text.contains("devops_twin_webhook_queue_depth"))
        #expect(text.contains("devops_twin_dora_deployments{repository=\"acme/api\""))
    }

    @Test("exporter.exclude drops the named families and the samples of the named windows, nothing else")
    func filter() throws {
        let filter = try MetricsFilter.validated(
            families: ["devops_twin_ci_runs", "devops_twin_dora_level"], windows: ["7d"], knownWindows: ["7d", "30d", "90d", "all"])
        let (whole, composed) = Self.composed(filter: filter)
        let filtered = composed.snapshot
        let names = Set(filtered.families.map(\.name))
        #expect(!names.contains("devops_twin_ci_runs"))
        #expect(!names.contains("devops_twin_dora_level"))
        #expect(names.contains("devops_twin_ci_success_ratio"))
        #expect(filtered.families.allSatisfy { $0.samples.allSatisfy { $0.label("window") != "7d" } })
        // Everything else is untouched.
        let expected = whole.families.compactMap { family -> MetricFamily? in
            guard !filter.families.contains(family.name) else { return nil }
            var kept = family
            kept.samples = family.samples.filter { $0.label("window") != "7d" }
            return kept.samples.isEmpty ? nil : kept
        }
        #expect(filtered.families == expected)
        #expect(composed.seriesCount < whole.families.reduce(0) { $0 + $1.samples.count })
    }

    @Test("an unknown family or window is refused with the names and where to look")
    func unknownNames() {
        #expect(throws: ExporterError.self) {
            _ = try MetricsFilter.validated(families: ["devops_twin_ci_run"], windows: [], knownWindows: ["7d"])
        }
        do {
            _ = try MetricsFilter.validated(families: ["devops_twin_nope"], windows: ["14d"], knownWindows: ["7d"])
            Issue.record("accepted an unknown family")
        } catch {
            #expect(error.description.contains("devops_twin_nope"))
            #expect(error.description.contains("docs/metrics.md"))
        }
        do {
            _ = try MetricsFilter.validated(families: [], windows: ["14d"], knownWindows: ["7d", "30d"])
            Issue.record("accepted an unknown window")
        } catch {
            #expect(error.description.contains("14d"))
        }
    }
}
