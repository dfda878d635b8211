import Foundation

/// The machine-readable DORA report (`devops-twin report --json`), documented field by field in
/// `docs/report-json.md`. Keys are sorted, durations are seconds, ratios 0…1, "no data" is `null`.
public enum ReportJSON {
    /// The format identifier written as `format`.
    public static let format = "devops-twin/dora-report/1"

    /// Encodes reports with their per-repository entity counts (`[repository: [entity: count]]`) and the
    /// groups' reports.
    public static func encode(
        _ reports: [RepositoryReport], entityCounts: [String: [String: Int]] = [:], groups: [GroupReport] = []
    ) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Every value is a plain string, number, bool or null: encoding cannot fail.
        return (try? encoder.encode(value(reports, entityCounts: entityCounts, groups: groups))) ?? Data("{}".utf8)
    }

    /// The same, as a UTF-8 string.
    public static func string(
        _ reports: [RepositoryReport], entityCounts: [String: [String: Int]] = [:], groups: [GroupReport] = []
    ) -> String {
        String(decoding: encode(reports, entityCounts: entityCounts, groups: groups), as: UTF8.self)
    }

    static func value(_ reports: [RepositoryReport], entityCounts: [String: [String: Int]], groups: [GroupReport]) -> ReportValue {
        .object([
            "format": .string(format),
            "repositories": .array(reports.map { repository($0, entities: entityCounts[$0.repository] ?? [:]) }),
            "groups": .array(groups.map(group)),
        ])
    }

    static func group(_ report: GroupReport) -> ReportValue {
        var windows: [String: ReportValue] = [:]
        for window in report.windowResults { windows[window.window.name] = self.window(window) }
        return .object([
            "group": .string(report.group),
            "coverage": coverage(report.coverage),
            "repositories": .array(report.repositories.map(ReportValue.string)),
            "asOf": .string(report.asOf.reportText),
            "hasDeployments": .bool(report.hasDeployments),
            "openIncidents": .int(report.openIncidents),
            "windowOrder": .array(report.windowResults.map { .string($0.window.name) }),
            "windows": .object(windows),
        ])
    }

    static func repository(_ report: RepositoryReport, entities: [String: Int]) -> ReportValue {
        var windows: [String: ReportValue] = [:]
        for window in report.windowResults { windows[window.window.name] = self.window(window) }
        return .object([
            "repository": .string(report.repository),
            "coverage": coverage(report.coverage),
            "asOf": .string(report.asOf.reportText),
            "definitions": report.definitions.jsonValue,
            "entities": .object(entities.mapValues(ReportValue.int)),
            "hasDeployments": .bool(report.hasDeployments),
            "openIncidents": .int(report.openIncidents),
            "incidents": .array(report.incidents.map(incident)),
            "windowOrder": .array(report.windowResults.map { .string($0.window.name) }),
            "windows": .object(windows),
        ])
    }

    /// One incident known at `asOf`: its source, times, attribution, issues and alerts.
    static func incident(_ incident: DeploymentTimeline.Incident) -> ReportValue {
        .object([
            "source": .string(incident.origin.rawValue),
            "openedAt": .string(incident.openedAt.reportText),
            "resolvedAt": .text(incident.closedAt?.reportText),
            "attributedTo": .text(incident.attributedTo),
            "issues": .array(incident.issueNumbers.map(ReportValue.int)),
            "alertNames": .array(incident.alertNames.map(ReportValue.string)),
            "generatorURLs": .array(incident.generatorURLs.map(ReportValue.string)),
        ])
    }

    /// `{"state": "complete" | "partial" | "none", "from": instant or null}`.
    static func coverage(_ coverage: HistoryCoverage) -> ReportValue {
        var from: String?
        if case .partial(let date) = coverage { from = date.reportText }
        return .object(["state": .string(coverage.name), "from": .text(from)])
    }

    /// A complete window's numbers, or an incomplete window's bounds and what it lacks (and no statistic).
    static func window(_ result: WindowResult) -> ReportValue {
        switch result {
        case .complete(let metrics):
            return window(metrics)
        case .incomplete(let w):
            var from: String?
            if case .partial(let date) = w.coverage { from = date.reportText }
            return .object([
                "complete": .bool(false),
                "start": .string(w.start.reportText),
                "end": .string(w.end.reportText),
                "days": .number(w.end.timeIntervalSince(w.start) / 86_400),
                "coveredFrom": .text(from),
                "reason": .string(w.reason.rawValue),
                "explanation": .string(w.reason.explanation),
                "repositories": .array(w.repositories.map(ReportValue.string)),
            ])
        }
    }

    static func window(_ w: WindowMetrics) -> ReportValue {
        var levels: [String: ReportValue] = [:]
        for metric in GradedMetric.allCases {
            levels[metric.jsonKey] = .text(w.levels[metric]?.name)
        }
        return .object([
            "complete": .bool(true),
            "start": .string(w.start.reportText),
            "end": .string(w.end.reportText),
            "days": .number(w.days),
            "deploymentFrequency": .object([
                "deployments": .int(w.deployments),
                "deploymentDays": .int(w.deploymentDays),
                "perDay": .number(w.deploymentsPerDay),
                "perWeek": .number(w.deploymentsPerDay.map { $0 * 7 }),
                "samples": .int(w.deployments),
            ]),
            "leadTime": statistics(w.leadTime, leadTimeKeys, extra: [
                "skewedCommits": .int(w.skewedCommits),
                "untrackedDeployments": .int(w.untrackedDeployments),
            ]),
            "changeFailureRate": .object([
                "value": .number(w.changeFailure.value),
                "failedChanges": .int(w.changeFailure.numerator),
                "changes": .int(w.changeFailure.denominator),
                "samples": .int(w.changeFailure.denominator),
                "failedDeploymentAttempts": .int(w.failedDeploymentAttempts),
                "incidents": .int(w.incidents),
                "attributedIncidents": .int(w.attributedIncidents),
                "unattributedIncidents": .int(w.unattributedIncidents),
            ]),
            "timeToRestore": statistics(w.timeToRestore, restoreKeys),
            "failedDeploymentRecovery": statistics(w.failedDeploymentRecovery, restoreKeys),
            "reworkRate": ratio(w.rework, numerator: "reworkDeployments", denominator: "deployments"),
            "levels": .object(levels),
            "ci": .array(w.ci.map(ci)),
        ])
    }

    static func ci(_ m: CIWorkflowMetrics) -> ReportValue {
        .object([
            "workflow": .string(m.workflow),
            "duration": statistics(m.duration, durationKeys),
            "trackedBranchSuccess": ratio(m.trackedBranchSuccess, numerator: "successes", denominator: "runs"),
            "otherBranchesSuccess": ratio(m.otherBranchesSuccess, numerator: "successes", denominator: "runs"),
            "recovery": statistics(m.recovery, restoreKeys),
        ])
    }

    /// `samples` plus the statistics the metric reports (`p50`, `p75`, `p90`, `p95`, `mean`).
    static func statistics(_ s: DurationStatistics, _ keys: [String], extra: [String: ReportValue] = [:]) -> ReportValue {
        var object = extra
        object["samples"] = .int(s.samples)
        for key in keys {
            switch key {
            case "p50": object[key] = .number(s.p50)
            case "p75": object[key] = .number(s.p75)
            case "p90": object[key] = .number(s.p90)
            case "p95": object[key] = .number(s.p95)
            default: object[key] = .number(s.mean)
            }
        }
        return .object(object)
    }

    static let leadTimeKeys = ["p50", "p75", "p90", "mean"]
    static let restoreKeys = ["p50", "p90", "mean"]
    static let durationKeys = ["p50", "p95"]

    static func ratio(_ r: Ratio, numerator: String, denominator: String) -> ReportValue {
        .object([
            "value": .number(r.value),
            numerator: .int(r.numerator),
            denominator: .int(r.denominator),
            "samples": .int(r.denominator),
        ])
    }
}

extension GradedMetric {
    /// The key used in JSON `levels`.
    var jsonKey: String {
        switch self {
        case .deploymentFrequency: "deploymentFrequency"
        case .leadTime: "leadTime"
        case .changeFailureRate: "changeFailureRate"
        case .timeToRestore: "timeToRestore"
        }
    }
}
