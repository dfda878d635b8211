import Dora
import Foundation

extension StatusPageRenderer {
    /// A chart per DORA metric and repository over the trend's instants.
    struct TrendMetric: Sendable {
        var title: String
        var value: @Sendable (WindowMetrics) -> Double?
        var format: @Sendable (Double?) -> String?
    }

    static let trendMetrics: [TrendMetric] = [
        TrendMetric(title: "Deployments / week", value: { $0.deploymentsPerDay.map { $0 * 7 } }, format: { StatusPageFormat.number($0) }),
        TrendMetric(title: "Lead time p50", value: { $0.leadTime.p50 }, format: { StatusPageFormat.duration($0) }),
        TrendMetric(title: "Change failure rate", value: { $0.changeFailure.value }, format: { StatusPageFormat.percent($0) }),
        TrendMetric(title: "Time to restore p50", value: { $0.timeToRestore.p50 }, format: { StatusPageFormat.duration($0) }),
        TrendMetric(title: "Rework rate", value: { $0.rework.value }, format: { StatusPageFormat.percent($0) }),
    ]

    static func trendSection(_ trend: DoraTrend, reports: [RepositoryReport]) -> String {
        guard let first = trend.points.first, let last = trend.points.last else { return "" }
        var html = "<section id=\"trends\"><h2>Trends <span class=\"muted\">\(trend.window.name.htmlEscaped) window "
        html += "(\(describe(trend.window).htmlEscaped)) at \(trend.points.count) instants from "
        html += "\(StatusPageFormat.day(first.asOf)) to \(StatusPageFormat.day(last.asOf))</span></h2>\n"
        let chart = TrendChart()
        for report in reports {
            let series = trend.series(for: report.repository)
            html += "<div class=\"trend\"><h3>\(report.repository.htmlEscaped) <span class=\"muted\">"
            html += definitions(report.definitions).htmlEscaped + "</span></h3><div class=\"charts\">"
            for metric in trendMetrics {
                let values = series.map { $0.flatMap(metric.value) }
                let latest = values.last.flatMap { $0 }.flatMap(metric.format)
                html += "<figure><figcaption>\(metric.title.htmlEscaped)"
                html += "<span class=\"latest\">\(latest.map { $0.htmlEscaped } ?? noData)</span></figcaption>"
                if values.contains(where: { $0?.isFinite == true }) {
                    let peak = values.compactMap { $0 }.filter(\.isFinite).max()
                    html += chart.svg(values, label: "\(metric.title) of \(report.repository), \(trend.points.count) instants")
                    html += "<div class=\"axis\"><span>\(StatusPageFormat.day(first.asOf))</span>"
                    html += "<span>max \(peak.flatMap(metric.format).map { $0.htmlEscaped } ?? "-")</span>"
                    html += "<span>\(StatusPageFormat.day(last.asOf))</span></div>"
                } else {
                    html += "<div class=\"chart-empty\">\(noData)</div>"
                }
                html += "</figure>"
            }
            html += "</div></div>\n"
        }
        return html + "</section>\n"
    }

    /// `deployments: releases · incidents: incident | bug&prod · DORA 2023 levels` (unescaped).
    static func definitions(_ definitions: DoraDefinitions) -> String {
        let source: String
        switch definitions.deploymentSource {
        case .releases: source = "releases"
        case .tags: source = "tags"
        case .workflow(let names): source = "workflow " + names.joined(separator: ", ")
        case .deployments(let pattern): source = "deployments (environment ~ \(pattern))"
        }
        let rules = definitions.incidentRules.map { $0.joined(separator: "&") }.joined(separator: " | ")
        return "deployments: \(source) · incidents: \(rules.isEmpty ? "none" : rules) · DORA \(definitions.benchmark.rawValue) levels"
    }
}
