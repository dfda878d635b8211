import Foundation

extension DoraEngine {
    /// The signals at `asOf` that belong to none of `repositories` (those whose incidents read alerts), by
    /// repository label or service map (spec v1.3: counted and otherwise ignored).
    public static func unmatchedAlertSignals(
        _ records: [AlertSignalRecord], repositories: [(repository: String, alerts: AlertDefinitions)], asOf: Date
    ) -> [AlertSignal] {
        AlertSignal.signals(of: records, asOf: asOf).filter { signal in
            !repositories.contains { $0.alerts.belongs(signal.labels, to: $0.repository) }
        }
    }
}
