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
    /// (the store is read once).
    public static func openMetrics(
        store: TwinStore, repositories: [RepositorySettings], windows: [DoraWindow], instants: [Date]
    ) throws -> String {
        let data = try DoraReports.load(store: store, repositories: repositories)
        let points = try instants.map { asOf in
            (asOf: asOf, reports: try DoraReports.reports(data: data, repositories: repositories, windows: windows, asOf: asOf))
        }
        return openMetrics(points: points)
    }

    public static func openMetrics(points: [(asOf: Date, reports: [RepositoryReport])]) -> String {
        ExpositionRenderer.render(snapshot(points: points), format: .openMetrics)
    }

    /// One snapshot holding every point: per historical family, each series' samples in time order, timestamped.
    static func snapshot(points: [(asOf: Date, reports: [RepositoryReport])]) -> MetricsSnapshot {
        var order: [String] = []
        var families: [String: MetricFamily] = [:]
        var series: [String: [[MetricLabel]: [MetricSample]]] = [:]
        var seriesOrder: [String: [[MetricLabel]]] = [:]
        for point in points {
            let snapshot = MetricsSnapshotBuilder.build(
                asOf: point.asOf, reports: point.reports, build: Exporter.BuildInfo(version: "", revision: ""))
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

    /// DORA and CI gauges; not the definitions (info) nor sync health, which have no history to rebuild.
    static func isHistorical(_ name: String) -> Bool {
        (name.hasPrefix("devops_twin_dora_") || name.hasPrefix("devops_twin_ci_")) && !name.hasSuffix("_info")
    }
}
