import Foundation

/// The alert receiver and the alert record for `/metrics` (spec v1.3). Pass nil to the builder when no
/// repository takes incidents from alerts and the receiver is off: the `devops_twin_alert_*` families are then
/// absent.
public struct AlertHealth: Sendable, Hashable {
    /// Notifications by result (`stored`, `unauthorized`, `malformed`, `too_large`, `unsupported_version`,
    /// `no_labels`, `store_failed`).
    public var notifications: [String: Int]
    /// Alerts in stored notifications.
    public var alertsReceived: Int
    /// Signals that belong to no configured repository, by reason (`unknown_repository`, `unknown_service`,
    /// `no_repository_or_service`; all always exported).
    public var unmatched: [String: Int]
    /// Signals with no resolution known.
    public var open: Int
    /// Where the alert record starts; nil before the first notification or import.
    public var recordStart: Date?

    public init(notifications: [String: Int], alertsReceived: Int, unmatched: [String: Int], open: Int, recordStart: Date?) {
        self.notifications = notifications
        self.alertsReceived = alertsReceived
        self.unmatched = unmatched
        self.open = open
        self.recordStart = recordStart
    }

    public static let unmatchedReasons = ["unknown_repository", "unknown_service", "no_repository_or_service"]

    func add(to families: inout FamilyAccumulator) {
        for (result, count) in notifications.sorted(by: { $0.key < $1.key }) {
            families.add(MetricCatalogue.alertNotifications, [MetricLabel("result", result)], Double(count))
        }
        families.add(MetricCatalogue.alertsReceived, [], Double(alertsReceived))
        for reason in Self.unmatchedReasons {
            families.add(MetricCatalogue.alertSignalsUnmatched, [MetricLabel("reason", reason)], Double(unmatched[reason] ?? 0))
        }
        families.add(MetricCatalogue.alertSignalsOpen, [], Double(open))
        families.add(MetricCatalogue.alertRecordStart, [], recordStart?.timeIntervalSince1970)
    }
}
