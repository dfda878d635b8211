import Dora
import Foundation

extension StatusPageRenderer {
    /// One table per window: a row per repository, then a row per team, a column per DORA metric with its level.
    static func windowSection(_ window: DoraWindow, reports: [RepositoryReport], groups: [GroupReport] = []) -> String {
        let name = window.name.htmlEscaped
        var html = "<section class=\"window\" id=\"window-\(name)\">"
        html += "<h2>\(name) <span class=\"muted\">\(describe(window).htmlEscaped)"
        if window.length != nil,
            let sample = reports.lazy.compactMap({ $0.windowResults.first { $0.window.name == window.name } }).first
        {
            html += " · \(StatusPageFormat.instant(sample.start)) to \(StatusPageFormat.instant(sample.end))"
        }
        html += "</span></h2>\n<table class=\"dora\"><thead><tr><th scope=\"col\">Repository</th>"
        html += "<th scope=\"col\">Deployment frequency</th><th scope=\"col\">Lead time <small>p50</small></th>"
        html += "<th scope=\"col\">Change failure rate</th><th scope=\"col\">Time to restore <small>p50</small></th>"
        html += "<th scope=\"col\">Rework rate</th></tr></thead>\n<tbody>\n"
        for report in reports {
            html += "<tr><th scope=\"row\" class=\"repo\">\(report.repository.htmlEscaped)</th>"
            let series = Series(label: "repository", subject: report.repository, window: window.name)
            switch report.windowResults.first(where: { $0.window.name == window.name }) {
            case .complete(let metrics): html += row(metrics, series: series)
            case .incomplete(let incomplete): html += incompleteRow(incomplete, series: series)
            case nil: html += "<td colspan=\"5\">\(noData)</td>"
            }
            html += "</tr>\n"
        }
        if !groups.isEmpty {
            html += "<tr class=\"teams\"><th colspan=\"6\" scope=\"rowgroup\">Teams "
            html += "<small>each from its repositories' events together, never an average of their numbers</small></th></tr>\n"
        }
        for group in groups {
            guard let result = group.windowResults.first(where: { $0.window.name == window.name }) else { continue }
            html += "<tr><th scope=\"row\" class=\"repo team\">\(group.group.htmlEscaped)"
            html += "<span class=\"detail\">\(group.repositories.map(\.htmlEscaped).joined(separator: ", "))</span></th>"
            let series = Series(label: "group", subject: group.group, window: window.name, family: MetricCatalogue.group)
            switch result {
            case .complete(let metrics): html += row(metrics, series: series)
            case .incomplete(let incomplete): html += incompleteRow(incomplete, series: series)
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    static func row(_ w: WindowMetrics, series: Series) -> String {
        let deploymentsText = w.deployments == 1 ? "1 deployment" : "\(StatusPageFormat.count(w.deployments)) deployments"
        let perWeek = StatusPageFormat.number(w.deploymentsPerDay.map { $0 * 7 }).map { "\($0) / week · " } ?? ""
        let restored = w.timeToRestore.samples == 1 ? "1 incident resolved" : "\(StatusPageFormat.count(w.timeToRestore.samples)) incidents resolved"
        let cells = [
            series.value(
                series.name(MetricCatalogue.doraDeploymentsPerDay), w.deploymentsPerDay, text: StatusPageFormat.number(w.deploymentsPerDay),
                unit: "/ day")
                + series.level(.deploymentFrequency, w.levels[.deploymentFrequency]) + detail(perWeek + deploymentsText),
            series.value(
                series.name(MetricCatalogue.doraLeadTime), w.leadTime.p50, statistic: "p50", text: StatusPageFormat.duration(w.leadTime.p50))
                + series.level(.leadTime, w.levels[.leadTime])
                + detail(w.leadTime.samples == 1 ? "1 commit" : "\(StatusPageFormat.count(w.leadTime.samples)) commits"),
            series.value(
                series.name(MetricCatalogue.doraChangeFailureRatio), w.changeFailure.value, text: StatusPageFormat.percent(w.changeFailure.value))
                + series.level(.changeFailureRate, w.levels[.changeFailureRate])
                + detail("\(StatusPageFormat.count(w.changeFailure.numerator)) of \(StatusPageFormat.count(w.changeFailure.denominator)) changes failed"),
            series.value(
                series.name(MetricCatalogue.doraTimeToRestore), w.timeToRestore.p50, statistic: "p50",
                text: StatusPageFormat.duration(w.timeToRestore.p50))
                + series.level(.timeToRestore, w.levels[.timeToRestore]) + detail(restored),
            series.value(series.name(MetricCatalogue.doraReworkRatio), w.rework.value, text: StatusPageFormat.percent(w.rework.value))
                + detail("\(StatusPageFormat.count(w.rework.numerator)) of \(StatusPageFormat.count(w.rework.denominator)) deployments"),
        ]
        return cells.map { "<td>\($0)</td>" }.joined()
    }

    /// A window the synced history does not cover: how far the history reaches and what the window lacks, never
    /// a number (`devops_twin_dora_window_complete` is 0 for it).
    static func incompleteRow(_ window: IncompleteWindow, series: Series) -> String {
        let reach: String
        switch window.coverage {
        case .partial(let from): reach = "history synced from \(StatusPageFormat.instant(from))"
        case .none: reach = "no history synced yet"
        case .complete: reach = "history synced"
        }
        var text = "<span class=\"incomplete\" \(series.attributes(series.name(MetricCatalogue.doraWindowComplete))) data-value=\"0\">"
        text += "\(reach.htmlEscaped); this window needs more</span>"
        var why = window.reason.explanation
        if series.label == "group" { why += " (" + window.repositories.joined(separator: ", ") + ")" }
        return "<td colspan=\"5\" class=\"incomplete\">\(text)\(detail(why))</td>"
    }

    static func detail(_ text: String) -> String {
        "<span class=\"detail\">\(text.htmlEscaped)</span>"
    }

    /// The series a cell shows, written as `data-` attributes naming its `/metrics` sample.
    struct Series {
        /// `repository`, or `group` for a team's row (whose families are the `devops_twin_group_*` variants).
        var label: String
        var subject: String
        var window: String
        var family: (MetricCatalogue.Descriptor) -> MetricCatalogue.Descriptor = { $0 }

        func name(_ descriptor: MetricCatalogue.Descriptor) -> String { family(descriptor).name }

        func attributes(_ metric: String) -> String {
            "data-metric=\"\(metric)\" data-\(label)=\"\(subject.htmlEscaped)\" data-window=\"\(window.htmlEscaped)\""
        }

        /// The value as people read it, with the exact exposition value in `data-value`; "no data" when absent.
        func value(_ metric: String, _ raw: Double?, statistic: String? = nil, text: String?, unit: String? = nil) -> String {
            var attributes = self.attributes(metric)
            if let statistic { attributes += " data-statistic=\"\(statistic)\"" }
            guard let raw, raw.isFinite, let text else {
                return "<span class=\"value\" \(attributes)>\(noData)</span>"
            }
            let suffix = unit.map { " <small>\($0.htmlEscaped)</small>" } ?? ""
            return "<span class=\"value\" \(attributes) data-value=\"\(ExpositionRenderer.formatValue(raw))\">\(text.htmlEscaped)\(suffix)</span>"
        }

        /// The level badge (`elite` … `low`), with `devops_twin_dora_level`'s value; "no level" when ungraded.
        func level(_ metric: GradedMetric, _ level: PerformanceLevel?) -> String {
            let attributes = self.attributes(name(MetricCatalogue.doraLevel)) + " data-level-metric=\"\(metric.rawValue)\""
            guard let level else { return "<span class=\"level level-none\" \(attributes)>no level</span>" }
            return "<span class=\"level level-\(level.name)\" \(attributes) data-value=\"\(level.rawValue)\">\(level.name)</span>"
        }
    }
}
