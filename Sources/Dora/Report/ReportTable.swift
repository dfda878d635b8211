import Foundation

/// The DORA report for people (`devops-twin report`): one fixed-width table per repository, a
/// column per window, then data-quality counts, entity counts and the definitions used.
public enum ReportTable {
    static let labelWidth = 30
    static let columnWidth = 14

    /// Renders reports with their per-repository entity counts (`[repository: [entity: count]]`), then the groups.
    public static func render(
        _ reports: [RepositoryReport], entityCounts: [String: [String: Int]] = [:], groups: [GroupReport] = []
    ) -> String {
        (reports.map { render($0, entities: entityCounts[$0.repository] ?? [:]) } + groups.map(render)).joined(separator: "\n")
    }

    static func render(_ report: GroupReport) -> String {
        var lines = ["group \(report.group)  (as of \(report.asOf.reportText))"]
        lines += metricRows(report.windowResults, ciWorkflows: report.windows.first?.ci.map(\.workflow) ?? [])
        lines += coverageLines(report.coverage, report.windowResults, namingRepositories: true)
        lines.append("open incidents at as-of: \(report.openIncidents)")
        lines.append("members: \(report.repositories.joined(separator: ", "))")
        lines.append("  every number is computed from the members' events together, never from their statistics")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table of every metric, a column per window; an incomplete window's column says so and has no numbers.
    static func metricRows(_ windows: [WindowResult], ciWorkflows: [String]) -> [String] {
        var lines: [String] = []
        func line(_ label: String, _ cell: (WindowResult) -> String) {
            var line = label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            for w in windows {
                line += " " + cell(w).leftPadded(to: columnWidth)
            }
            lines.append(line.trimmingTrailingSpaces)
        }
        func row(_ label: String, _ cell: (WindowMetrics) -> String) {
            line(label) { $0.metrics.map(cell) ?? notCovered }
        }
        func rule() { lines.append(String(repeating: "-", count: labelWidth + windows.count * (columnWidth + 1))) }

        line("window") { $0.window.name }
        line("history covers it") { $0.isComplete ? "yes" : "no" }
        rule()
        row("deployments") { "\($0.deployments)" }
        row("deployment days") { "\($0.deploymentDays)" }
        row("deployments per week") { number($0.deploymentsPerDay.map { $0 * 7 }) }
        row("  level") { level($0, .deploymentFrequency) }
        row("lead time p50") { duration($0.leadTime.p50) }
        row("lead time p75") { duration($0.leadTime.p75) }
        row("lead time p90") { duration($0.leadTime.p90) }
        row("lead time mean") { duration($0.leadTime.mean) }
        row("  samples (commits)") { "\($0.leadTime.samples)" }
        row("  level") { level($0, .leadTime) }
        row("change failure rate") { percent($0.changeFailure.value) }
        row("  failed / changes") { "\($0.changeFailure.numerator)/\($0.changeFailure.denominator)" }
        row("  level") { level($0, .changeFailureRate) }
        row("time to restore p50") { duration($0.timeToRestore.p50) }
        row("time to restore p90") { duration($0.timeToRestore.p90) }
        row("  samples (incidents)") { "\($0.timeToRestore.samples)" }
        row("  level") { level($0, .timeToRestore) }
        row("failed deploy recovery p50") { duration($0.failedDeploymentRecovery.p50) }
        row("  samples") { "\($0.failedDeploymentRecovery.samples)" }
        row("rework rate") { percent($0.rework.value) }
        row("incidents opened") { "\($0.incidents)" }
        row("  attributed") { "\($0.attributedIncidents)" }
        row("  unattributed") { "\($0.unattributedIncidents)" }
        row("failed deployment attempts") { "\($0.failedDeploymentAttempts)" }
        row("skewed commits") { "\($0.skewedCommits)" }
        row("untracked deployments") { "\($0.untrackedDeployments)" }
        for (i, workflow) in ciWorkflows.enumerated() {
            row("CI \(workflow)") { _ in "" }
            row("  run duration p50") { i < $0.ci.count ? duration($0.ci[i].duration.p50) : "-" }
            row("  run duration p95") { i < $0.ci.count ? duration($0.ci[i].duration.p95) : "-" }
            row("  success (tracked branch)") { i < $0.ci.count ? percent($0.ci[i].trackedBranchSuccess.value) : "-" }
            row("  success (other branches)") { i < $0.ci.count ? percent($0.ci[i].otherBranchesSuccess.value) : "-" }
            row("  recovery p50") { i < $0.ci.count ? duration($0.ci[i].recovery.p50) : "-" }
        }
        rule()
        return lines
    }

    static func render(_ report: RepositoryReport, entities: [String: Int]) -> String {
        var lines: [String] = []
        lines.append("\(report.repository)  (as of \(report.asOf.reportText))")
        lines += metricRows(report.windowResults, ciWorkflows: report.definitions.ciWorkflows)
        lines += coverageLines(report.coverage, report.windowResults)
        lines.append("open incidents at as-of: \(report.openIncidents)")
        if !entities.isEmpty {
            lines.append(
                "entities: " + entities.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        let d = report.definitions
        var source = d.sourceName
        switch d.deploymentSource {
        case .releases(let include): source += include ? " (prereleases included)" : " (prereleases excluded)"
        case .tags: break
        case .workflow(let names): source += " " + names.joined(separator: ", ")
        case .deployments(let pattern): source += " (environment ~ \(pattern))"
        }
        if d.incidentSource.readsAlerts { lines += incidentLines(report.incidents) }
        lines.append("definitions:")
        lines.append("  deployments      \(source)\(d.deploymentPattern.map { ", pattern \($0)" } ?? "")")
        switch d.incidentSource {
        case .issues:
            lines.append("  incidents        labels \(d.incidentRulesText), attributed within \(duration(d.attributionWindow))")
        case .alerts:
            lines.append("  incidents        alerts \(d.alertsText), attributed within \(duration(d.attributionWindow))")
        case .issuesAndAlerts:
            lines.append("  incidents        labels \(d.incidentRulesText) and alerts \(d.alertsText), attributed within \(duration(d.attributionWindow))")
        }
        lines.append("  lead time        \(d.commitTime.rawValue) time, baseline \(d.includeBaseline ? "included" : "excluded")")
        lines.append("  tracked branch   \(d.trackedBranch)")
        lines.append("  benchmark        DORA \(d.benchmark.rawValue)")
        lines.append("  '-' = no data; windows are [as-of - length, as-of), 'all' starts at the first deployment")
        lines.append("  '\(notCovered)' = the window reaches back further than the synced history: no number is computed")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The latest incidents (up to ten) with their source: `issue #12`, `alert HighErrorRate, …` or both.
    static func incidentLines(_ incidents: [DeploymentTimeline.Incident]) -> [String] {
        guard !incidents.isEmpty else { return ["incidents: none"] }
        var lines = ["incidents (latest \(min(10, incidents.count)) of \(incidents.count)):"]
        for incident in incidents.suffix(10) {
            var what: [String] = []
            if !incident.issueNumbers.isEmpty { what.append("issue " + incident.issueNumbers.map { "#\($0)" }.joined(separator: ", ")) }
            if incident.origin != .issue { what.append("alert " + incident.alertNames.joined(separator: ", ")) }
            let end = incident.closedAt.map { "resolved \($0.reportText)" } ?? "open"
            lines.append("  \(incident.openedAt.reportText)  \(end)  \(what.joined(separator: " + "))")
        }
        return lines
    }

    /// The cell of a statistic in a window the synced history does not cover.
    static let notCovered = "n/a"

    /// How far back the history reaches and, per incomplete window, what it lacks.
    /// A group names the members whose history falls short.
    static func coverageLines(_ coverage: HistoryCoverage, _ windows: [WindowResult], namingRepositories: Bool = false) -> [String] {
        var lines: [String] = []
        switch coverage {
        case .complete: lines.append("history: complete")
        case .partial(let from): lines.append("history: synced from \(from.reportText) (deeper history is still being synced)")
        case .none: lines.append("history: nothing synced yet")
        }
        for case .incomplete(let window) in windows {
            var text = "  \(window.window.name) incomplete: \(window.reason.explanation)"
            if namingRepositories { text += " (\(window.repositories.joined(separator: ", ")))" }
            lines.append(text)
        }
        return lines
    }

    static func level(_ w: WindowMetrics, _ metric: GradedMetric) -> String { w.levels[metric]?.name ?? "-" }

    static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "%.2f", value)
    }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "%.1f%%", value * 100)
    }

    /// `45s`, `12m 05s`, `3h 20m`, `2d 04h`.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "-" }
        let sign = seconds < 0 ? "-" : ""
        let total = Int(abs(seconds).rounded())
        let (d, h, m, s) = (total / 86_400, total % 86_400 / 3_600, total % 3_600 / 60, total % 60)
        if d > 0 { return sign + String(format: "%dd %02dh", d, h) }
        if h > 0 { return sign + String(format: "%dh %02dm", h, m) }
        if m > 0 { return sign + String(format: "%dm %02ds", m, s) }
        return sign + "\(s)s"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    fileprivate var trimmingTrailingSpaces: String {
        var result = self
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }
}
