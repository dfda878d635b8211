import Foundation
import Synchronization

/// The alert receiver's counters for `/metrics`: notifications by result, and alerts stored.
public final class AlertReceiverStatistics: Sendable {
    /// Every result, always exported (0 until the first).
    public static let results = ["stored", "unauthorized", "malformed", "too_large", "unsupported_version", "no_labels", "store_failed"]

    private struct State {
        var notifications: [String: Int] = [:]
        var alerts = 0
    }

    private let state = Mutex(State())

    public init() {}

    func record(_ result: String, alerts: Int = 0) {
        state.withLock {
            $0.notifications[result, default: 0] += 1
            $0.alerts += alerts
        }
    }

    /// Notifications by result (every known result present).
    public var notifications: [String: Int] {
        state.withLock { state in
            var all = Dictionary(uniqueKeysWithValues: Self.results.map { ($0, 0) })
            for (result, count) in state.notifications { all[result] = count }
            return all
        }
    }

    /// Alerts in stored notifications (repeats included).
    public var alertsStored: Int { state.withLock { $0.alerts } }
}
