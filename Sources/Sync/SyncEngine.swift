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
    /// Shared by every path that syncs a repository (the schedule, webhooks): one sync per repository at a time.
    public let locks: RepositoryLocks

    public init(
        store: TwinStore, client: GitHubClient, configuration: TwinConfiguration, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }, progress: (@Sendable (SyncProgress) -> Void)? = nil,
        locks: RepositoryLocks = RepositoryLocks()
    ) {
        self.locks = locks
        self.store = store
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.progress = progress
    }

    /// Syncs every configured repository, at most `sync.concurrency` at once; results in configuration order.
    public func syncAll() async -> SyncSummary {
        let repositories = configuration.repositories
        let limit = max(1, configuration.sync.concurrency)
        var results = [RepositorySyncResult?](repeating: nil, count: repositories.count)
        await withTaskGroup(of: (Int, RepositorySyncResult).self) { group in
            var next = 0
            while next < repositories.count && next < limit {
                let index = next
                group.addTask { (index, await sync(repositories[index])) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < repositories.count {
                    let index = next
                    group.addTask { (index, await sync(repositories[index])) }
                    next += 1
                }
            }
        }
        return SyncSummary(repositories: results.compactMap { $0 })
    }

    /// Syncs one repository: every data source it is configured with, then records the outcome.
    public func sync(_ repository: RepositorySettings) async -> RepositorySyncResult {
        await sync(repository, only: nil)
    }

    /// Syncs one repository limited to `entities` (nil: everything), through the same steps and cursors as
    /// the full sync, holding the repository's lock so that no other sync of it runs meanwhile.
    public func sync(_ repository: RepositorySettings, only entities: Set<SyncEntity>?) async -> RepositorySyncResult {
        let job = RepositorySyncJob(
            settings: repository, store: store, client: client, logger: logger, now: now, progress: progress)
        job.only = entities
        return await locks.withLock(repository.name) { await job.run() }
    }
}
