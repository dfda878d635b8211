import Dora
import Foundation

extension StatusPageRenderer {
    /// Sync health per repository (last outcome, attempt, success, duration, run totals) and the rate limit.
    static func syncSection(_ content: StatusPageContent, reports: [RepositoryReport]) -> String {
        var health: [String: RepositorySyncHealth] = [:]
        var order: [String] = reports.map(\.repository)
        for entry in content.syncHealth where health[entry.repository] == nil {
            health[entry.repository] = entry
            if !order.contains(entry.repository) { order.append(entry.repository) }
        }
        var html = "<section id=\"sync\"><h2>Sync health <span class=\"muted\">from the store's sync history</span></h2>\n"
        html += "<table class=\"sync\"><thead><tr><th scope=\"col\">Repository</th><th scope=\"col\">Last sync</th>"
        html += "<th scope=\"col\">Last attempt</th><th scope=\"col\">Last success</th><th scope=\"col\">Duration</th>"
        html += "<th scope=\"col\">Runs</th><th scope=\"col\">Open incidents</th></tr></thead>\n<tbody>\n"
        for repository in order {
            let series = Series(label: "repository", subject: repository, window: "")
            let entry = health[repository]
            html += "<tr><th scope=\"row\" class=\"repo\">\(repository.htmlEscaped)</th>"
            html += "<td>" + outcomeBadge(entry?.lastOutcome, attempted: entry?.lastAttempt != nil) + "</td>"
            html += "<td>" + instant(entry?.lastAttempt, series, MetricCatalogue.syncLastAttempt.name) + "</td>"
            html += "<td>" + instant(entry?.lastSuccess, series, MetricCatalogue.syncLastSuccess.name) + "</td>"
            html += "<td>" + (StatusPageFormat.duration(entry?.lastDuration).map { $0.htmlEscaped } ?? noData) + "</td>"
            html += "<td>" + runs(entry?.runsByResult ?? [:]) + "</td>"
            let open = reports.first { $0.repository == repository }?.openIncidents
            html += "<td>" + (open.map { StatusPageFormat.count($0) } ?? noData) + "</td></tr>\n"
        }
        html += "</tbody></table>\n" + rateLimits(content.rateLimits, asOf: content.asOf)
        return html + "</section>\n"
    }

    /// `success`, `failed`, `rate limited`, `cancelled`; "never synced", or "first sync not finished" while the
    /// first attempt runs (or if it never ended).
    static func outcomeBadge(_ outcome: String?, attempted: Bool) -> String {
        guard let outcome else {
            return "<span class=\"outcome outcome-none\">\(attempted ? "first sync not finished" : "never synced")</span>"
        }
        let known = ["success", "failed", "rate_limited", "cancelled"].contains(outcome) ? outcome : "other"
        let text = outcome.replacingOccurrences(of: "_", with: " ")
        return "<span class=\"outcome outcome-\(known)\">\(text.htmlEscaped)</span>"
    }

    static func instant(_ date: Date?, _ series: Series, _ metric: String) -> String {
        guard let date else { return noData }
        let seconds = ExpositionRenderer.formatValue(date.timeIntervalSince1970)
        return "<time datetime=\"\(StatusPageFormat.machineInstant(date))\" data-metric=\"\(metric)\" "
            + "data-\(series.label)=\"\(series.subject.htmlEscaped)\" data-value=\"\(seconds)\">\(StatusPageFormat.instant(date))</time>"
    }

    /// `12 success · 1 failed`: the outcomes that occurred, known ones first.
    static func runs(_ counts: [String: Int]) -> String {
        let known = RepositorySyncHealth.knownResults
        let ordered = known.compactMap { result in counts[result].map { (result, $0) } }
            + counts.filter { !known.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let shown = ordered.filter { $0.1 > 0 }
        guard !shown.isEmpty else { return "<span class=\"nodata\">none yet</span>" }
        return shown.map { "\(StatusPageFormat.count($0.1)) \($0.0.replacingOccurrences(of: "_", with: " ").htmlEscaped)" }
            .joined(separator: " · ")
    }

    /// One line per resource: remaining of limit, a meter and the reset time.
    static func rateLimits(_ readings: [RateLimitReading], asOf: Date) -> String {
        guard !readings.isEmpty else {
            return "<p class=\"ratelimit\"><strong>GitHub rate limit</strong> <span class=\"nodata\">no reading yet</span></p>\n"
        }
        var html = ""
        for reading in readings {
            let resource = reading.resource.htmlEscaped
            let credential = reading.credential.htmlEscaped
            let subject = readings.count > 1 || reading.credential != "default" ? "\(credential) · \(resource)" : resource
            html += "<p class=\"ratelimit\"><strong>GitHub rate limit</strong> <span class=\"muted\">\(subject)</span> "
            html += "<meter min=\"0\" max=\"\(max(reading.limit, 1))\" value=\"\(max(0, reading.remaining))\" "
            html += "low=\"\(max(reading.limit, 1) / 10)\" optimum=\"\(max(reading.limit, 1))\"></meter> "
            html += "<span class=\"value-inline\" data-metric=\"\(MetricCatalogue.rateLimitRemaining.name)\" data-credential=\"\(credential)\" data-resource=\"\(resource)\" "
            html += "data-value=\"\(reading.remaining)\">\(StatusPageFormat.count(reading.remaining))</span> of "
            html += "\(StatusPageFormat.count(reading.limit)) requests left; resets at \(StatusPageFormat.instant(reading.reset))"
            if reading.reset < asOf { html += " <span class=\"muted\">(already passed)</span>" }
            html += "</p>\n"
        }
        return html
    }
}
