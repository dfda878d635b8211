import AsyncHTTPClient
import Foundation
import GitHubAPI
import Logging
import Synchronization
import Sync
import TwinConfig
import TwinStore

/// What every sync (the daemon's cycles, the `sync` command) starts with: the credentials (App installations
/// listed anew), the organisations' repositories discovered, and an engine for the configuration in force.
public final class SyncSession: Sendable {
    let configuration: TwinConfiguration
    let store: TwinStore
    let logger: Logger
    let pool: CredentialPool
    /// What the planner learns, kept across cycles.
    public let statistics = PlannerStatistics()
    /// One sync per repository at a time, whichever path (the schedule, webhooks) starts it.
    let locks: RepositoryLocks
    private let last = Mutex<Prepared?>(nil)

    public init(
        configuration: TwinConfiguration, store: TwinStore, httpClient: HTTPClient, logger: Logger,
        locks: RepositoryLocks = RepositoryLocks()
    ) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.locks = locks
        pool = CredentialPool(configuration: configuration, httpClient: httpClient, logger: logger)
        // What the planner learned before a restart: the first cycle plans with it.
        PlannerState.restore(statistics, from: store)
    }

    /// The engine of the last prepared sync (credentials and repositories in force), preparing one if none was.
    public func currentEngine() async -> SyncEngine {
        if let prepared = last.withLock({ $0 }) { return prepared.engine }
        return await prepare().engine
    }

    /// A prepared sync: the configuration in force and the engine that syncs it.
    public struct Prepared: Sendable {
        public var configuration: TwinConfiguration
        public var engine: SyncEngine
        public var discovery: RepositoryDiscovery.Result?
    }

    public func prepare(
        progress: (@Sendable (SyncProgress) -> Void)? = nil,
        onRepositoryFinished: (@Sendable (RepositorySyncResult) -> Void)? = nil
    ) async -> Prepared {
        let credentials = await pool.refresh()
        var router = CredentialRouter(credentials: credentials)
        var current = configuration
        var result: RepositoryDiscovery.Result?
        if !configuration.organizations.isEmpty {
            let discovery = RepositoryDiscovery(store: store, router: router, organizations: configuration.organizations, logger: logger)
            let found = await discovery.discover()
            discovery.record(found)
            router.routes = found.routes
            current = configuration.withDiscovered(found.repositories)
            for (organization, problem) in found.failures.sorted(by: { $0.key < $1.key }) {
                logger.warning("discovery problem", metadata: ["subject": "\(organization)", "problem": "\(problem)"])
            }
            logger.info(
                "repositories discovered",
                metadata: [
                    "organizations": "\(configuration.organizations.count)", "repositories": "\(found.repositories.count)",
                    "requests": "\(found.requests)",
                ])
            result = found
        }
        let fallback =
            router.credential(for: current.repositories.first?.name ?? "x/x")?.client
            ?? GitHubClient(configuration: configuration.gitHubClientConfiguration, httpClient: HTTPClient.shared, logger: logger)
        let engine = SyncEngine(
            store: store, client: fallback, configuration: current, logger: logger, progress: progress, router: router,
            statistics: statistics, onRepositoryFinished: onRepositoryFinished, locks: locks)
        let prepared = Prepared(configuration: current, engine: engine, discovery: result)
        last.withLock { $0 = prepared }
        return prepared
    }
}
