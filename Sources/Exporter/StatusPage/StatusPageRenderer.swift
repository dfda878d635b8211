import Dora
import Foundation

/// Renders the status page served at `/`: per repository the DORA numbers and levels of every window, sync
/// health, the GitHub rate limit and small trend charts. Plain HTML with inline CSS and SVG, no JavaScript.
///
/// Every string that comes from the configuration or GitHub is HTML-escaped. A statistic without data reads
/// "no data" (never 0 or NaN). Each number carries the value `/metrics` serves for it in `data-value`, with
/// `data-metric`, `data-repository` (a team's row: `data-group`) and `data-window` naming the series. A window
/// the synced history does not cover shows how far the history reaches instead of numbers (its
/// `devops_twin_dora_window_complete` 0). Pure: same content, same page.
public enum StatusPageRenderer {
    /// The page for `content`.
    public static func render(_ content: StatusPageContent) -> String {
        var seen = Set<String>()
        // As in the metrics snapshot, a repository appearing twice is shown once (the first occurrence wins).
        let reports = content.reports.filter { seen.insert($0.repository).inserted }
        let windows = windowOrder(reports)
        var html = head(title: "devops-twin · DORA status")
        html += "<header><h1>devops-twin <span>DORA status</span></h1>"
        html += "<p>Snapshot of <time datetime=\"\(StatusPageFormat.machineInstant(content.asOf))\" "
        html += "data-metric=\"\(MetricCatalogue.snapshotTimestamp.name)\" "
        html += "data-value=\"\(ExpositionRenderer.formatValue(content.asOf.timeIntervalSince1970))\">"
        html += "\(StatusPageFormat.instant(content.asOf))</time> · \(reports.count) "
        html += reports.count == 1 ? "repository" : "repositories"
        html += " · recomputed after every sync; reload for newer numbers</p>"
        html += "<nav>"
        if !windows.isEmpty {
            html += "<span>Windows:</span> "
            html += windows.map { "<a href=\"#window-\($0.name.htmlEscaped)\">\($0.name.htmlEscaped)</a>" }.joined(separator: " ")
            html += " <span class=\"sep\">|</span> "
        }
        html += endpointLinks + "</nav></header>\n<main>\n"
        html += syncSection(content, reports: reports)
        for window in windows { html += windowSection(window, reports: reports, groups: content.groups) }
        if let trend = content.trend, !trend.points.isEmpty { html += trendSection(trend, reports: reports) }
        if reports.isEmpty {
            html += "<section><p class=\"nodata\">No repositories are configured.</p></section>\n"
        }
        html += "</main>\n<footer>devops-twin \(content.build.version.htmlEscaped)"
        if !content.build.revision.isEmpty { html += " (\(content.build.revision.htmlEscaped))" }
        html += " · numbers as <code>devops-twin report</code> computes them; definitions in docs/dora.md</footer>\n"
        return html + "</body>\n</html>\n"
    }

    /// The page served at `/` before a first snapshot exists: what the exporter is and where its endpoints are.
    public static let indexPage: String = {
        var html = head(title: "devops-twin exporter")
        html += "<header><h1>devops-twin <span>exporter</span></h1>"
        html += "<p>DORA metrics and sync health of the configured GitHub repositories.</p>"
        html += "<nav>" + endpointLinks + "</nav></header>\n<main>\n<section>"
        html += "<p>No snapshot yet: the status page appears here once the first sync and DORA computation have finished.</p>"
        html += "<ul>"
        html += "<li><a href=\"/metrics\">/metrics</a>: Prometheus text format 0.0.4, OpenMetrics 1.0 on request</li>"
        html += "<li><a href=\"/healthz\">/healthz</a>: liveness</li>"
        html += "<li><a href=\"/readyz\">/readyz</a>: readiness (a snapshot of the store is served)</li>"
        html += "</ul></section>\n</main>\n</body>\n</html>\n"
        return html
    }()

    static let endpointLinks =
        "<a href=\"/metrics\" title=\"Prometheus text format 0.0.4, OpenMetrics 1.0 on request\">/metrics</a> "
        + "<a href=\"/healthz\" title=\"liveness\">/healthz</a> "
        + "<a href=\"/readyz\" title=\"readiness (a snapshot of the store is served)\">/readyz</a>"

    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title.htmlEscaped)</title>
        <style>\(StatusPageStyle.css)</style>
        </head>
        <body>

        """
    }

    /// Every window of the reports, in the order they first appear (the configured order).
    static func windowOrder(_ reports: [RepositoryReport]) -> [DoraWindow] {
        var seen = Set<String>()
        var windows: [DoraWindow] = []
        for report in reports {
            for result in report.windowResults where seen.insert(result.window.name).inserted { windows.append(result.window) }
        }
        return windows
    }

    /// `last 30 days`, `since the first deployment`, or the window's name.
    static func describe(_ window: DoraWindow) -> String {
        guard let length = window.length else { return "since the first deployment" }
        if length > 0, length.truncatingRemainder(dividingBy: 86_400) == 0 {
            let days = Int(length / 86_400)
            return days == 1 ? "last day" : "last \(days) days"
        }
        if length > 0, length.truncatingRemainder(dividingBy: 3_600) == 0 { return "last \(Int(length / 3_600)) hours" }
        return "last \(StatusPageFormat.duration(length) ?? window.name)"
    }

    /// `<span class="nodata">no data</span>`, for any absent statistic.
    static let noData = "<span class=\"nodata\">no data</span>"
}
