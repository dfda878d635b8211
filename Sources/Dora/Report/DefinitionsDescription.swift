import Foundation

/// Plain descriptions of `DoraDefinitions` shared by `ReportJSON` and `ReportTable`.
extension DoraDefinitions {
    /// `releases`, `tags`, `workflow` or `deployments`.
    var sourceName: String {
        switch deploymentSource {
        case .releases: "releases"
        case .tags: "tags"
        case .workflow: "workflow"
        case .deployments: "deployments"
        }
    }

    /// Incident rules written as `a&b`, OR'ed with ` | `.
    var incidentRulesText: String {
        incidentRules.map { $0.joined(separator: "&") }.joined(separator: " | ")
    }

    /// How alerts become incidents, for people: `{severity="page"} by label repository or services a, b,
    /// merged within 5m`.
    var alertsText: String {
        let services = alerts.services.isEmpty ? "" : " or services \(alerts.services.joined(separator: ", "))"
        return "\(AlertMatcher.selectorText(alerts.matchers)) by label \(alerts.repositoryLabel)\(services), merged within \(Int(alerts.mergeGap)) s"
    }

    var jsonValue: ReportValue {
        var includePrereleases: ReportValue = .null
        var workflows: ReportValue = .null
        var environmentPattern: ReportValue = .null
        switch deploymentSource {
        case .releases(let include): includePrereleases = .bool(include)
        case .tags: break
        case .workflow(let names): workflows = .array(names.map(ReportValue.string))
        case .deployments(let pattern): environmentPattern = .string(pattern)
        }
        return .object([
            "deploymentSource": .string(sourceName),
            "includePrereleases": includePrereleases,
            "deploymentWorkflows": workflows,
            "environmentPattern": environmentPattern,
            "deploymentPattern": .text(deploymentPattern),
            "incidentRules": .array(incidentRules.map { .array($0.map(ReportValue.string)) }),
            "incidentSource": .string(incidentSource.rawValue),
            "alerts": incidentSource.readsAlerts
                ? .object([
                    "matchers": .string(AlertMatcher.selectorText(alerts.matchers)),
                    "repositoryLabel": .string(alerts.repositoryLabel),
                    "services": .array(alerts.services.map(ReportValue.string)),
                    "mergeGapSeconds": .number(alerts.mergeGap),
                ]) : .null,
            "attributionWindowSeconds": .number(attributionWindow),
            "includeBaseline": .bool(includeBaseline),
            "commitTime": .string(commitTime.rawValue),
            "trackedBranch": .string(trackedBranch),
            "ciWorkflows": .array(ciWorkflows.map(ReportValue.string)),
            "benchmark": .string(benchmark.rawValue),
        ])
    }
}

extension Date {
    /// ISO 8601 in UTC, with milliseconds only when the instant has a fraction of a second.
    var reportText: String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        if timeIntervalSince1970.rounded(.down) != timeIntervalSince1970 {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        }
        return formatter.string(from: self)
    }
}
