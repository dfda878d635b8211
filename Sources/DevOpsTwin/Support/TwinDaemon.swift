import AsyncHTTPClient
import Exporter
import Foundation
import GitHubAPI
import Logging
import ServiceLifecycle
import Sync
import TwinConfig
import TwinStore

/// The daemon: scheduled sync (+ Neo4j projection when configured) and the exporter, in one
/// `ServiceGroup` that SIGTERM/SIGINT shut down gracefully.
struct TwinDaemon {
    let configuration: TwinConfiguration
    let store: TwinStore
    let logger: Logger
    let holder = SnapshotHolder()
    let projectionStatus = ProjectionStatus()

    var refresher: SnapshotRefresh {
        SnapshotRefresh(configuration: configuration, store: store, holder: holder, projection: projectionStatus, logger: logger)
    }

    /// Runs until SIGTERM/SIGINT. `afterCycle` is called after each cycle (the demo prints its report there).
    func run(
        httpClient: HTTPClient, onListening: @escaping @Sendable (Int) async -> Void = { _ in },
        afterCycle: @escaping @Sendable (SyncSummary) async -> Void = { _ in }, extraServices: [any Service] = []
    ) async throws {
        let exporter: ExporterServer
        do {
            exporter = try ExporterServer(
                configuration: ExporterServerConfiguration(settings: configuration.exporter), holder: holder, logger: logger,
                onListening: onListening)
        } catch {
            throw CommandFailure("\(error)", exitCode: 2)
        }
        // Serve what the store already holds at once; the first sync refreshes it.
        refresher.refresh()

        let client = GitHubClient(configuration: configuration.gitHubClientConfiguration, httpClient: httpClient, logger: logger)
        let engine = SyncEngine(store: store, client: client, configuration: configuration, logger: logger)
        let projector = try ProjectionWiring(
            configuration: configuration, store: store, httpClient: httpClient, status: projectionStatus, logger: logger)
        // The first sync waits only if every repository has synced recently (the oldest decides).
        let successes = configuration.repositories.map { try? store.syncHealth($0.name).lastSuccessAt }
        let lastSuccess = successes.contains { $0 == nil } ? nil : successes.compactMap { $0 }.min()
        let refresher = self.refresher
        let logger = self.logger
        let scheduler = SyncScheduler(
            schedule: SyncSchedule(interval: configuration.sync.interval),
            lastSuccess: lastSuccess,
            logger: logger
        ) {
            let summary = await engine.syncAll()
            SyncDigest.log(summary, logger: logger)
            // Serve the new numbers at once; a slow or absent Neo4j must not hold them back.
            refresher.refresh()
            if !Task.isCancelled, projector.projector != nil {
                await projector.projectAll(after: summary)
                refresher.refresh()
            }
            await afterCycle(summary)
            MemoryRelease.returnFreedMemory()
            return TwinDaemon.scheduleOutcome(summary, rateLimitReset: try? store.lastRateLimit()?.reset)
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                // A service that returns (the scheduler does on SIGTERM) shuts the others down gracefully: the
                // default, cancelling them, makes the HTTP servers log a CancellationError on every stop.
                services: (extraServices + [exporter, scheduler]).map {
                    .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup)
                },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            let text = "\(error)"
            if text.contains("bind") || text.contains("Address already in use") {
                throw CommandFailure(
                    "cannot listen on \(configuration.exporter.listenHost):\(configuration.exporter.listenPort) (\(text)); "
                        + "choose another exporter.listenAddress (or DEVOPS_TWIN_LISTEN_ADDRESS)", exitCode: 2)
            }
            throw CommandFailure("the daemon stopped: \(text)")
        }
    }

    /// How a cycle ended for the schedule; a rate-limited stop waits for GitHub's reset.
    static func scheduleOutcome(_ summary: SyncSummary, rateLimitReset: Date?) -> SyncSchedule.Outcome {
        let outcomes = summary.repositories.map(\.outcome)
        if outcomes.contains(.cancelled) { return .cancelled }
        if outcomes.contains(.failed) { return .failed }
        if outcomes.contains(.rateLimited) { return .rateLimited(resetAt: rateLimitReset) }
        return .success
    }
}
