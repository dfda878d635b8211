import Dora
import Exporter
import Foundation
import TwinConfig
import TwinStore

/// DORA gauges at a series of past instants, as OpenMetrics text with sample timestamps, for
/// `promtool tsdb create-blocks-from openmetrics`: Grafana then shows history from day one.
/// OpenMetrics wants each family's samples together and each series in time order, so snapshots are
/// computed first and regrouped family by family and series by series; `ExpositionRenderer` writes the text,
/// as it does for `/metrics`.
public enum HistoricalSeries {
    /// The series at `instants`, each point computed from the store exactly as `report --as-of` computes it
    /// (the store is read once), the groups' (`devops_twin_group_*`) as the exporter computes them.
    public static func openMetrics(
        store: TwinStore, repositories: [RepositorySettings], groups: [GroupSettings] = [], windows: [DoraWindow],
        benchmark: DoraDefinitions.Benchmark = .v2023, instants: [Date]
    ) throws -> String {
        let data = try DoraReports.load(store: store, repositories: repositories)
        var groupReports: [Date: [GroupReport]] = [:]
        let points = try instants.map { asOf in
            groupReports[asOf] = try DoraReports.groupReports(
                data: data, repositories: repositories, groups: groups, windows: windows, benchmark: benchmark, asOf: asOf)
            return (asOf: asOf, reports: try DoraReports.reports(data: data, repositories: repositories, windows: windows, asOf: asOf))
        }
        return openMetrics(points: points, groups: groupReports)
    }

    public static func openMetrics(
        points: [(asOf: Date, reports: [RepositoryReport])], groups: [Date: [GroupReport]] = [:]
    ) -> String {
        ExpositionRenderer.render(snapshot(points: points, groups: groups), format: .openMetrics)
    }

    /// One snapshot holding every point: per historical family, each series' samples in time order, timestamped.
    static func snapshot(points: [(asOf: Date, reports: [RepositoryReport])], groups: [Date: [GroupReport]] = [:]) -> MetricsSnapshot {
        var order: [String] = []
        var families: [String: MetricFamily] = [:]
        var series: [String: [[MetricLabel]: [MetricSample]]] = [:]
        var seriesOrder: [String: [[MetricLabel]]] = [:]
        for point in points {
            let snapshot = MetricsSnapshotBuilder.build(
                asOf: point.asOf, reports: point.reports, groups: groups[point.asOf] ?? [],
                build: Exporter.BuildInfo(version: "", revision: ""))
            for family in snapshot.families where family.type == .gauge && isHistorical(family.name) {
                if families[family.name] == nil {
                    families[family.name] = family
                    order.append(family.name)
                }
                for sample in family.samples {
                    if series[family.name, default: [:]][sample.labels] == nil {
                        seriesOrder[family.name, default: []].append(sample.labels)
                    }
                    series[family.name, default: [:]][sample.labels, default: []].append(
                        MetricSample(labels: sample.labels, value: sample.value, timestamp: point.asOf))
                }
            }
        }
        let merged = order.compactMap { name -> MetricFamily? in
            guard var family = families[name] else { return nil }
            family.samples = (seriesOrder[name] ?? []).flatMap { series[name]?[$0] ?? [] }
            return family
        }
        return MetricsSnapshot(asOf: points.last?.asOf ?? Date(timeIntervalSince1970: 0), families: merged)
    }

    /// DORA and CI gauges, the repositories' and the groups'; not the definitions nor group membership (info),
    /// nor sync health, which have no history to rebuild.
    static func isHistorical(_ name: String) -> Bool {
        let prefixes = ["devops_twin_dora_", "devops_twin_ci_", "devops_twin_group_dora_", "devops_twin_group_ci_"]
        return prefixes.contains { name.hasPrefix($0) } && !name.hasSuffix("_info")
    }
}
