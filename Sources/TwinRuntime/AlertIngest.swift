import Dora
import Exporter
import Foundation
import Logging
import TwinConfig
import TwinStore
import Webhooks

/// Incidents from alerts in the daemon (spec v1.3): the receiver's store (a commit before the answer), the
/// targeted refresh of the repositories a notification touches, and the alert families of `/metrics`.
enum AlertIngest {
    /// The receiver of `settings`, storing into `store` and refreshing the repositories its signals belong to.
    static func receiver(
        settings: AlertReceiverSettings, store: TwinStore, catalogue: RepositoryCatalogue, refresher: SnapshotRefresh,
        statistics: AlertReceiverStatistics, logger: Logger
    ) -> AlertReceiver {
        let credential: AlertReceiver.Credential =
            switch settings.authentication {
            case .bearer(let token): .bearer(token: token.value)
            case .basic(let user, let password): .basic(user: user, password: password.value)
            }
        return AlertReceiver(credential: credential, statistics: statistics, logger: logger) { records in
            let now = Date()
            try store.recordAlertSignals(records, origin: .notification, receivedAt: now, coverageFrom: now)
            let touched = Set(
                catalogue.current.repositories.filter { repository in
                    repository.definitions.incidentSource.readsAlerts
                        && records.contains { repository.definitions.alerts.belongs($0.labels, to: repository.name) }
                }.map(\.name))
            // The answer does not wait for the refresh: the signals are stored, which is what Alertmanager needs.
            Task.detached { refresher.refresh(changed: touched) }
        }
    }

    /// Attaches the stored signals and the alert record's start to every repository whose incidents read alerts.
    static func attach(store: TwinStore, repositories: [RepositorySettings], to data: inout [String: RepositoryData]) throws {
        let readers = repositories.filter { $0.definitions.incidentSource.readsAlerts }
        guard !readers.isEmpty else { return }
        let signals = try store.alertSignals()
        let start = try store.alertRecordStart()
        for repository in readers {
            data[repository.name, default: RepositoryData(repository: repository.name)].alertSignals = signals
            data[repository.name]?.alertRecordStart = start
        }
    }

    /// The `devops_twin_alert_*` families' values; nil when the receiver is off and no repository reads alerts.
    static func health(
        store: TwinStore, repositories: [RepositorySettings], statistics: AlertReceiverStatistics?, asOf: Date
    ) throws -> AlertHealth? {
        let readers = repositories.filter { $0.definitions.incidentSource.readsAlerts }
        guard statistics != nil || !readers.isEmpty else { return nil }
        let records = try store.alertSignals()
        let signals = AlertSignal.signals(of: records, asOf: asOf.addingTimeInterval(1))
        let labelNames = Set(readers.map(\.definitions.alerts.repositoryLabel)).union(["repository"])
        var unmatched: [String: Int] = [:]
        for signal in DoraEngine.unmatchedAlertSignals(
            records, repositories: readers.map { ($0.name, $0.definitions.alerts) }, asOf: asOf.addingTimeInterval(1))
        {
            let reason =
                if labelNames.contains(where: { signal.labels[$0] != nil }) { "unknown_repository" }
                else if signal.labels["service"] != nil { "unknown_service" }
                else { "no_repository_or_service" }
            unmatched[reason, default: 0] += 1
        }
        return AlertHealth(
            notifications: statistics?.notifications ?? [:], alertsReceived: statistics?.alertsStored ?? 0, unmatched: unmatched,
            open: signals.filter { $0.endsAt == nil }.count, recordStart: try store.alertRecordStart())
    }
}
