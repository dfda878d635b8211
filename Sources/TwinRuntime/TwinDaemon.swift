import AsyncHTTPClient
import Exporter
import Foundation
import GitHubAPI
import Logging
import ServiceLifecycle
import Sync
import TwinConfig
import TwinStore
import Webhooks

/// The daemon: scheduled sync (+ Neo4j projection when configured) and the exporter, in one
/// `ServiceGroup` that SIGTERM/SIGINT shut down gracefully.
public struct TwinDaemon: Sendable {
    public let configuration: TwinConfiguration
    public let store: TwinStore
    public let logger: Logger
    public let build: Exporter.BuildInfo
    /// What the exporter serves; published by every refresh.
    public let holder = SnapshotHolder()
    let projectionStatus = ProjectionStatus()
    /// The configuration in force: the loaded one with the discovered repositories.
    public let catalogue: RepositoryCatalogue
    let budgets = BudgetStatus()
    let snapshotCache = SnapshotCache()
    /// Shared by the scheduled cycle and webhook-triggered syncs: one sync per repository at a time.
    let locks = RepositoryLocks()
    /// The webhook receiver's counters (shown only when `webhooks` is configured).
    public let webhookStatistics = WebhookStatistics()
    /// The alert receiver's counters (shown when `webhooks.alertmanager` is configured).
    public let alertStatistics = AlertReceiverStatistics()
    /// Called when an App installation gains or loses repositories (`installation`, `installation_repositories`
    /// deliveries): where repository discovery plugs in. Must return quickly; by default the receiver only logs.
    public var repositorySetChanged: @Sendable (RepositorySetChange) -> Void = { _ in }

    public init(configuration: TwinConfiguration, store: TwinStore, build: Exporter.BuildInfo, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.build = build
        self.logger = logger
        catalogue = RepositoryCatalogue(configuration: configuration, store: store)
        // The planner's gauges and estimate of the last cycle before a restart, served until this run's first
        // cycle ends.
        budgets.set(PlannerState.budgets(in: store, now: Date()))
    }

    var refresher: SnapshotRefresh {
        SnapshotRefresh(
            catalogue: catalogue, store: store, holder: holder, projection: projectionStatus, budgets: budgets, cache: snapshotCache,
            build: build, logger: logger, webhooks: configuration.webhooks == nil ? nil : webhookStatistics,
            alerts: configuration.webhooks?.alertmanager == nil ? nil : alertStatistics)
    }

    /// Recomputes and publishes the metrics snapshot and the status page now: every repository (`changed` nil),
    /// or only `changed` ones, reusing what the last refreshes computed for the others (what a cycle does as
    /// repositories finish; benchmarks time it).
    @discardableResult
    public func refreshSnapshot(changed: Set<String>? = nil, asOf: Date) -> SnapshotRefreshTimings? {
        refresher.refresh(changed: changed, asOf: asOf)
    }

    /// Runs until SIGTERM/SIGINT. `afterCycle` is called after each cycle (the demo prints its report there).
    /// With `webhooks` configured, the receiver listens too; `onWebhookListening` gets its bound port.
    public func run(
        httpClient: HTTPClient, onListening: @escaping @Sendable (Int) async -> Void = { _ in },
        afterCycle: @escaping @Sendable (SyncSummary) async -> Void = { _ in }, extraServices: [any Service] = [],
        onWebhookListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws(TwinRuntimeError) {
        let exporter: ExporterServer
        do {
            exporter = try ExporterServer(
                configuration: ExporterServerConfiguration(configuration.exporter), holder: holder, logger: logger,
                onListening: onListening)
        } catch {
            throw TwinRuntimeError(.invalidConfiguration, "\(error)")
        }
        // Serve what the store already holds at once; the first sync refreshes it.
        refresher.refresh()

        let cycle = try makeCycle(httpClient: httpClient, afterCycle: afterCycle)
        // The first sync waits only if every repository has synced recently (the oldest decides).
        let successes = catalogue.current.repositories.map { try? store.syncHealth($0.name).lastSuccessAt }
        let lastSuccess = successes.contains { $0 == nil } ? nil : successes.compactMap { $0 }.min()
        let scheduler = SyncScheduler(
            schedule: SyncSchedule(interval: configuration.sync.interval), lastSuccess: lastSuccess, logger: logger
        ) { await cycle.run() }
        let webhookServices = try makeWebhookServices(cycle: cycle, onListening: onWebhookListening)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                // A service that returns (the scheduler does on SIGTERM) shuts the others down gracefully: the
                // default, cancelling them, makes the HTTP servers log a CancellationError on every stop.
                services: (extraServices + webhookServices + [exporter, scheduler]).map {
                    .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup)
                },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as WebhookError {
            throw TwinRuntimeError(.cannotListen, error.description)
        } catch let error as ExporterError where error.kind == .bindFailed {
            throw TwinRuntimeError(
                .cannotListen, "\(error.message); choose another exporter.listenAddress (or DEVOPS_TWIN_LISTEN_ADDRESS)")
        } catch {
            throw TwinRuntimeError(.stopped, "the daemon stopped: \(error)")
        }
    }

    /// One scheduled cycle (sync, snapshot, projection, snapshot again) with the clients it needs.
    public func makeCycle(
        httpClient: HTTPClient, afterCycle: @escaping @Sendable (SyncSummary) async -> Void = { _ in }
    ) throws(TwinRuntimeError) -> DaemonCycle {
        let session = SyncSession(configuration: configuration, store: store, httpClient: httpClient, logger: logger, locks: locks)
        let projection = try ProjectionWiring(
            configuration: configuration, catalogue: catalogue, store: store, httpClient: httpClient, status: projectionStatus,
            logger: logger)
        return DaemonCycle(
            session: session, catalogue: catalogue, budgets: budgets, projection: projection, refresher: refresher, store: store,
            afterCycle: afterCycle, logger: logger)
    }

    /// The receiver, its listener, its worker (sharing the cycle's engine, projection and refresh) and the metrics
    /// publisher; nil when webhooks are off.
    func makeWebhookParts(
        cycle: DaemonCycle, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws(TwinRuntimeError) -> WebhookParts? {
        guard let settings = configuration.webhooks else { return nil }
        // HTTPS with the exporter's certificate and key, never its client CA: GitHub presents no client certificate.
        let reused = settings.useExporterTLS ? configuration.exporter.tls.map { ExporterTLS(certFile: $0.certFile, keyFile: $0.keyFile) } : nil
        let https = try reused.map { tls throws(TwinRuntimeError) in
            do {
                return try ExporterServer.serverBuilder(
                    ExporterServerConfiguration(host: settings.listenHost, port: settings.listenPort, tls: tls))
            } catch {
                throw TwinRuntimeError(.invalidConfiguration, "webhooks.useExporterTLS: \(error)")
            }
        }
        let statistics = webhookStatistics
        let queue = CoalescingQueue { statistics.setQueueDepth($0) }
        var forwarding: DeliveryForwarder?
        var receiver = WebhookReceiver(
            secret: settings.secret.value, routerProvider: { [catalogue] in WebhookRouter(repositories: catalogue.current.repositories) },
            queue: queue,
            statistics: statistics, logger: logger,
            onRepositorySetChange: Self.rediscovery(
                then: repositorySetChanged, session: cycle.session, catalogue: catalogue, refresher: cycle.refresher,
                organizations: !configuration.organizations.isEmpty, logger: logger))
        let publisher = WebhookMetricsPublisher(
            statistics: statistics, holder: holder, repositories: { [catalogue] in catalogue.current.repositories.map(\.name) }, logger: logger)
        let session = cycle.session
        if configuration.shard.total > 1 || configuration.shard.isSurplus {
            let transport = PeerDeliveryTransport(
                httpClient: session.pool.httpClient, settings: settings, ownShard: configuration.shard.index)
            let forwarder = DeliveryForwarder(transport: transport.send, statistics: statistics, logger: logger)
            receiver = receiver.forwarding(to: forwarder) { [catalogue] in
                let current = catalogue.current
                return ShardRouting(
                    ownShard: current.shard.index, totalShards: current.shard.total, repositories: current.allRepositories,
                    owner: { current.owningShard(of: $0) })
            }
            forwarding = forwarder
        }
        var server = WebhookServer(
            host: settings.listenHost, port: settings.listenPort, maxBodyBytes: settings.maxBodyBytes, receiver: receiver,
            logger: logger, server: https, onListening: onListening)
        server.alerts = settings.alertmanager.map {
            AlertIngest.receiver(
                settings: $0, store: store, catalogue: catalogue, refresher: cycle.refresher, statistics: alertStatistics, logger: logger)
        }
        let worker = WebhookWorker(
            queue: queue, window: .milliseconds(Int64(settings.coalesceWindow * 1000)), engine: { await session.currentEngine() },
            projection: cycle.projection, refresher: cycle.refresher, statistics: statistics, publisher: publisher,
            catalogue: catalogue, logger: logger)
        return WebhookParts(
            receiver: receiver, queue: queue, server: server, worker: worker, publisher: publisher, forwarder: forwarding)
    }

    /// An App installation gained or lost repositories: discover again at once (the credentials' listings are
    /// ETag-cached, so only what changed costs a point), sync the repositories it gained, and publish; removed
    /// ones leave /metrics with that refresh. Without organisations, the next cycle's routing picks changes up.
    static func rediscovery(
        then hook: @escaping @Sendable (RepositorySetChange) -> Void, session: SyncSession, catalogue: RepositoryCatalogue,
        refresher: SnapshotRefresh, organizations: Bool, logger: Logger
    ) -> @Sendable (RepositorySetChange) -> Void {
        { change in
            hook(change)
            guard organizations else { return }
            logger.info(
                "installation repositories changed; discovering again",
                metadata: ["added": "\(change.added.count)", "removed": "\(change.removed.count)"])
            Task {
                let prepared = await session.prepare()
                catalogue.update(prepared.configuration)
                let added = Set(change.added.map { $0.lowercased() })
                let gained = prepared.configuration.repositories.filter { added.contains($0.name.lowercased()) }
                if !gained.isEmpty { _ = await prepared.engine.syncAll(gained) }
                refresher.refresh()
            }
        }
    }

    func makeWebhookServices(
        cycle: DaemonCycle, onListening: @escaping @Sendable (Int) async -> Void
    ) throws(TwinRuntimeError) -> [any Service] {
        guard let parts = try makeWebhookParts(cycle: cycle, onListening: onListening) else { return [] }
        return [parts.server, parts.worker, parts.publisher] + (parts.forwarder.map { [$0] } ?? [])
    }

    /// How a cycle ended for the schedule; a rate-limited stop waits for GitHub's reset.
    public static func scheduleOutcome(_ summary: SyncSummary, rateLimitReset: Date?) -> SyncSchedule.Outcome {
        let outcomes = summary.repositories.map(\.outcome)
        if outcomes.contains(.cancelled) { return .cancelled }
        if outcomes.contains(.failed) { return .failed }
        if outcomes.contains(.rateLimited) {
            // The earliest reset among the credentials that ran out (each has its own).
            let resets = summary.repositories.filter { $0.outcome == .rateLimited }.compactMap(\.resetAt)
            return .rateLimited(resetAt: resets.min() ?? rateLimitReset)
        }
        return .success
    }
}

/// The webhook receiver's pieces as the daemon wires them.
struct WebhookParts {
    let receiver: WebhookReceiver
    let queue: CoalescingQueue
    let server: WebhookServer
    let worker: WebhookWorker
    let publisher: WebhookMetricsPublisher
    /// Sends deliveries about other shards' repositories to them; nil when unsharded.
    let forwarder: DeliveryForwarder?
}
