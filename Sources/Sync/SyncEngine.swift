import Foundation
import GitHubAPI
import Logging
import TwinConfig
import TwinStore

/// Brings each configured repository's delivery data from GitHub into the store, fully the first time and
/// incrementally after. Every page is committed together with the cursor saying where to resume, so a sync
/// stopped at any point (error, rate limit, cancellation, SIGKILL) keeps what it committed and the next sync
/// continues there without gaps or duplicates. Each entity's algorithm is documented on its `sync…` method.
public struct SyncEngine: Sendable {
    let store: TwinStore
    let client: GitHubClient
    let configuration: TwinConfiguration
    let logger: Logger
    let now: @Sendable () -> Date
    let progress: (@Sendable (SyncProgress) -> Void)?
    /// Which credential syncs which repository; nil: `client` syncs every repository.
    let router: CredentialRouter?
    /// What the planner learned in earlier cycles (a daemon keeps one across cycles).
    let statistics: PlannerStatistics
    /// Called when a repository's sync ends (to publish its numbers without waiting for the whole cycle).
    let onRepositoryFinished: (@Sendable (RepositorySyncResult) -> Void)?
    /// Shared by every path that syncs a repository (the schedule, webhooks): one sync per repository at a time.
    public let locks: RepositoryLocks

    public init(
        store: TwinStore, client: GitHubClient, configuration: TwinConfiguration, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }, progress: (@Sendable (SyncProgress) -> Void)? = nil,
        router: CredentialRouter? = nil, statistics: PlannerStatistics = PlannerStatistics(),
        onRepositoryFinished: (@Sendable (RepositorySyncResult) -> Void)? = nil, locks: RepositoryLocks = RepositoryLocks()
    ) {
        self.router = router
        self.statistics = statistics
        self.onRepositoryFinished = onRepositoryFinished
        self.locks = locks
        self.store = store
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.progress = progress
    }

    /// Syncs every configured repository; results in configuration order.
    public func syncAll() async -> SyncSummary {
        await syncAll(configuration.repositories)
    }

    /// The client (credential) that syncs `repository`.
    public func client(for repository: String) -> GitHubClient {
        router?.credential(for: repository)?.client ?? client
    }

    /// The `credential` label of the client that syncs `repository`.
    public func credentialName(for repository: String) -> String {
        router?.credential(for: repository)?.name ?? "default"
    }

    /// Syncs `repositories` within each credential's rate limit: each credential's share is planned and run
    /// (at most `sync.concurrency` at once, its requests serialised by its client), credentials in parallel;
    /// results in the given order, with each credential's budget.
    public func syncAll(_ repositories: [RepositorySettings]) async -> SyncSummary {
        var byCredential: [String: [Int]] = [:]
        var order: [String] = []
        for (index, repository) in repositories.enumerated() {
            let name = credentialName(for: repository.name)
            if byCredential[name] == nil { order.append(name) }
            byCredential[name, default: []].append(index)
        }
        var results = [RepositorySyncResult?](repeating: nil, count: repositories.count)
        var budgets: [CredentialBudget] = []
        await withTaskGroup(of: ([(Int, RepositorySyncResult)], CredentialBudget).self) { group in
            for name in order {
                let indices = byCredential[name] ?? []
                let client = client(for: repositories[indices[0]].name)
                group.addTask {
                    await SyncPlanner(engine: self, credential: name, client: client)
                        .run(indices.map { ($0, repositories[$0]) })
                }
            }
            for await (finished, budget) in group {
                for (index, result) in finished { results[index] = result }
                budgets.append(budget)
            }
        }
        var summary = SyncSummary(repositories: results.compactMap { $0 })
        summary.budgets = budgets.sorted { $0.credential < $1.credential }
        return summary
    }

    /// Runs one job for `repository` (a regular sync, or a deepening pass), stopping at `budgetFloor`.
    func runJob(
        _ repository: RepositorySettings, deepenOnly: Bool, budgetFloor: Int?, horizon: Date?? = .none,
        only entities: Set<SyncEntity>? = nil
    ) async -> RepositorySyncResult {
        let job = RepositorySyncJob(
            settings: repository, store: store, client: client(for: repository.name), logger: logger, now: now, progress: progress,
            credential: credentialName(for: repository.name))
        job.shallowHorizon = horizon ?? shallowHorizon
        job.budgetFloor = budgetFloor
        job.deepenOnly = deepenOnly
        job.only = entities
        let result = await locks.withLock(repository.name) { await job.run() }
        onRepositoryFinished?(result)
        return result
    }

    /// Progressive sync's horizon now (nil when `sync.shallowHorizon` is 0).
    var shallowHorizon: Date? {
        let horizon = configuration.sync.shallowHorizon
        return horizon > 0 ? now().addingTimeInterval(-horizon) : nil
    }

    /// Syncs one repository: every data source it is configured with, then records the outcome.
    /// A repository that a planned cycle left partially covered is deepened at once, so this syncs it whole.
    public func sync(_ repository: RepositorySettings) async -> RepositorySyncResult {
        let first = await runJob(repository, deepenOnly: false, budgetFloor: nil, horizon: .some(nil))
        guard first.outcome == .success, case .partial = (try? store.historyCoverage(repository: repository.name)) ?? .none else {
            return first
        }
        return first.merged(with: await runJob(repository, deepenOnly: true, budgetFloor: nil, horizon: .some(nil)))
    }

    /// Syncs one repository limited to `entities` (nil: everything), through the same steps and cursors as
    /// the full sync, holding the repository's lock so that no other sync of it runs meanwhile.
    public func sync(_ repository: RepositorySettings, only entities: Set<SyncEntity>?) async -> RepositorySyncResult {
        guard let entities else { return await sync(repository) }
        return await runJob(repository, deepenOnly: false, budgetFloor: nil, only: entities)
    }
}
