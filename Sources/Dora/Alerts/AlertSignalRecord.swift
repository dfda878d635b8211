import Foundation

/// One record of an alert as a notification (or an import from Prometheus' `ALERTS` series) gave it
/// (spec v1.3, "Incidents from alerts"). One fingerprint with one `startsAt` is one *signal*; several records of
/// one signal (repeats, a resolution, an import) are the same signal.
public struct AlertSignalRecord: Sendable, Hashable {
    /// Alertmanager's fingerprint, or, where absent, a hash of the sorted label set (`AlertFingerprint`).
    public var fingerprint: String
    public var startsAt: Date
    /// When the alert resolved, if this record is a resolution; nil while this record knows it only as firing.
    public var endsAt: Date?
    /// The alert's labels (`alertname`, `severity`, `repository`, `service`, …).
    public var labels: [String: String]
    /// The link to the rule or panel that fired (Alertmanager's and Grafana's `generatorURL`).
    public var generatorURL: String?

    public init(fingerprint: String, startsAt: Date, endsAt: Date?, labels: [String: String], generatorURL: String? = nil) {
        self.fingerprint = fingerprint
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.labels = labels
        self.generatorURL = generatorURL
    }

    /// The `alertname` label, or an empty string.
    public var alertName: String { labels["alertname"] ?? "" }
}
