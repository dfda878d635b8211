import Dora
import Foundation

/// An Alertmanager webhook notification (`webhook_configs`, payload version 4), or Grafana's webhook contact
/// point's (the same shape, `version` "1", plus Grafana's fields such as `orgId`, `title`, `state`, `message`,
/// and per alert `dashboardURL`, `panelURL`, `values`: read where useful, otherwise ignored).
struct AlertNotification: Decodable {
    struct Alert: Decodable {
        var status: String
        var labels: [String: String]?
        var startsAt: String
        var endsAt: String?
        var generatorURL: String?
        var fingerprint: String?
        /// Grafana: the panel or dashboard the alert is about (used when there is no `generatorURL`).
        var panelURL: String?
        var dashboardURL: String?
    }

    var version: String
    var status: String?
    var alerts: [Alert]
    /// Grafana's organisation id: present only in Grafana's notifications.
    var orgId: Int?

    /// Whether devops-twin knows this payload's shape: Alertmanager's version 4, or Grafana's version 1.
    var isKnownVersion: Bool { version == "4" || (version == "1" && orgId != nil) }

    /// What is wrong with one alert.
    enum Problem: Error {
        case noLabels(index: Int)
        case malformed(String)
    }

    /// The signal records the notification carries: a `firing` alert is open (its `endsAt` is Alertmanager's
    /// expiry estimate, not a resolution); a `resolved` one ends at its `endsAt`.
    func records() throws(Problem) -> [AlertSignalRecord] {
        var records: [AlertSignalRecord] = []
        records.reserveCapacity(alerts.count)
        for (index, alert) in alerts.enumerated() {
            guard let labels = alert.labels, !labels.isEmpty else { throw .noLabels(index: index) }
            guard let starts = AlertTime.parse(alert.startsAt) else {
                throw .malformed("alerts[\(index)].startsAt \"\(alert.startsAt.prefix(40))\" is not an RFC 3339 time")
            }
            var ends: Date?
            switch alert.status {
            case "firing": ends = nil
            case "resolved":
                guard let text = alert.endsAt, let parsed = AlertTime.parse(text) else {
                    throw .malformed("alerts[\(index)] is resolved without an RFC 3339 endsAt")
                }
                ends = parsed
            default:
                throw .malformed("alerts[\(index)].status \"\(alert.status.prefix(20))\" is neither firing nor resolved")
            }
            let fingerprint = alert.fingerprint.flatMap { $0.isEmpty ? nil : $0 } ?? AlertFingerprint.of(labels: labels)
            let link = [alert.generatorURL, alert.panelURL, alert.dashboardURL].compactMap { $0 }.first { !$0.isEmpty }
            records.append(AlertSignalRecord(fingerprint: fingerprint, startsAt: starts, endsAt: ends, labels: labels, generatorURL: link))
        }
        return records
    }
}

/// RFC 3339 times as Go writes them: any number of fractional digits, `Z` or an offset.
enum AlertTime {
    static func parse(_ text: String) -> Date? {
        // Split off the fraction, which ISO8601DateFormatter reads only to milliseconds.
        var main = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let rest = text[text.index(after: dot)...]
            let digits = rest.prefix { $0.isNumber }
            guard !digits.isEmpty else { return nil }
            fraction = Double("0." + digits) ?? 0
            main = String(text[..<dot]) + String(rest.dropFirst(digits.count))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: main) else { return nil }
        // To the microsecond, so that one instant written two ways is one `startsAt` (one signal).
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded() + (fraction * 1_000_000).rounded()
        return Date(timeIntervalSince1970: micros / 1_000_000)
    }
}
