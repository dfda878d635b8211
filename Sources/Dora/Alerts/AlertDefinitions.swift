import Foundation

/// Where a repository's incidents come from (spec v1.3): labelled issues (the default), alerts, or both.
public enum IncidentSource: String, Sendable, Hashable, CaseIterable {
    case issues
    case alerts
    case issuesAndAlerts = "issues+alerts"

    public var readsIssues: Bool { self != .alerts }
    public var readsAlerts: Bool { self != .issues }
}

/// How alerts become a repository's incidents (spec v1.3, "Incidents from alerts").
public struct AlertDefinitions: Sendable, Hashable {
    /// All must hold for an alert to be an incident; none selects every alert.
    public var matchers: [AlertMatcher]
    /// The label naming the repository (`owner/name`); when present it alone decides.
    public var repositoryLabel: String
    /// Values of the `service` label that belong to this repository (read only without a repository label).
    public var services: [String]
    /// Two intervals whose gap is shorter than this are one incident.
    public var mergeGap: TimeInterval
    /// The rule evaluation interval: a signal imported from Prometheus' `ALERTS` series ends this long after
    /// its last sample, and a gap of more than two intervals starts a new signal.
    public var evaluationInterval: TimeInterval = 60

    public init(matchers: [AlertMatcher] = [], repositoryLabel: String = "repository", services: [String] = [], mergeGap: TimeInterval = 300) {
        self.matchers = matchers
        self.repositoryLabel = repositoryLabel
        self.services = services
        self.mergeGap = mergeGap
    }

    /// Whether a signal with these labels belongs to `repository` by label or service map (not the matchers).
    /// Repository names compare case-insensitively, as GitHub's do.
    public func belongs(_ labels: [String: String], to repository: String) -> Bool {
        if let named = labels[repositoryLabel] { return named.lowercased() == repository.lowercased() }
        guard let service = labels["service"] else { return false }
        return services.contains(service)
    }
}
