import Dora
import Exporter
import Foundation

/// DORA gauges at a series of past instants, as OpenMetrics text with sample timestamps, for
/// `promtool tsdb create-blocks-from openmetrics`: Grafana then shows history from day one.
/// OpenMetrics wants each family's samples together and each series in time order, so snapshots are
/// computed first and written family by family.
enum HistoricalSeries {
    static func openMetrics(points: [(asOf: Date, reports: [RepositoryReport])]) -> String {
        let snapshots = points.map { point in
            (point.asOf, MetricsSnapshotBuilder.build(asOf: point.asOf, reports: point.reports, build: Exporter.BuildInfo(version: "", revision: "")))
        }
        var order: [String] = []
        var families: [String: MetricFamily] = [:]
        var series: [String: [[MetricLabel]: [(Date, Double)]]] = [:]
        var seriesOrder: [String: [[MetricLabel]]] = [:]
        for (asOf, snapshot) in snapshots {
            for family in snapshot.families where family.type == .gauge && isHistorical(family.name) {
                if families[family.name] == nil {
                    families[family.name] = family
                    order.append(family.name)
                }
                for sample in family.samples {
                    if series[family.name, default: [:]][sample.labels] == nil { seriesOrder[family.name, default: []].append(sample.labels) }
                    series[family.name, default: [:]][sample.labels, default: []].append((asOf, sample.value))
                }
            }
        }
        var text = ""
        for name in order {
            guard let family = families[name] else { continue }
            text += "# HELP \(name) \(ExpositionRenderer.escapeHelp(family.help, format: .openMetrics))\n"
            text += "# TYPE \(name) gauge\n"
            if let unit = family.unit { text += "# UNIT \(name) \(unit)\n" }
            for labels in seriesOrder[name] ?? [] {
                let labelText = labels.map { "\($0.name)=\"\(ExpositionRenderer.escapeLabelValue($0.value))\"" }.joined(separator: ",")
                for (asOf, value) in series[name]?[labels] ?? [] {
                    text += "\(name){\(labelText)} \(ExpositionRenderer.formatValue(value)) \(Int64(asOf.timeIntervalSince1970))\n"
                }
            }
        }
        return text + "# EOF\n"
    }

    /// DORA and CI gauges; not the definitions (info) nor sync health, which have no history to rebuild.
    static func isHistorical(_ name: String) -> Bool {
        (name.hasPrefix("devops_twin_dora_") || name.hasPrefix("devops_twin_ci_")) && !name.hasSuffix("_info")
    }
}
