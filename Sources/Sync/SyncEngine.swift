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

    public init(
        store: TwinStore, client: GitHubClient, configuration: TwinConfiguration, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }, progress: (@Sendable (SyncProgress) -> Void)? = nil,
        router: CredentialRouter? = nil
    ) {
        self.router = router
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

    /// Syncs `repositories`: each credential's at most `sync.concurrency` at once (its requests are serialised
    /// by its client), different credentials in parallel; results in the given order.
    public func syncAll(_ repositories: [RepositorySettings]) async -> SyncSummary {
        var byCredential: [String: [Int]] = [:]
        var order: [String] = []
        for (index, repository) in repositories.enumerated() {
            let name = credentialName(for: repository.name)
            if byCredential[name] == nil { order.append(name) }
            byCredential[name, default: []].append(index)
        }
        var results = [RepositorySyncResult?](repeating: nil, count: repositories.count)
        await withTaskGroup(of: [(Int, RepositorySyncResult)].self) { group in
            for name in order {
                let indices = byCredential[name] ?? []
                group.addTask { await syncShare(indices.map { ($0, repositories[$0]) }) }
            }
            for await finished in group {
                for (index, result) in finished { results[index] = result }
            }
        }
        return SyncSummary(repositories: results.compactMap { $0 })
    }

    /// One credential's share, at most `sync.concurrency` at once.
    private func syncShare(_ repositories: [(Int, RepositorySettings)]) async -> [(Int, RepositorySyncResult)] {
        let limit = max(1, configuration.sync.concurrency)
        var results: [(Int, RepositorySyncResult)] = []
        await withTaskGroup(of: (Int, RepositorySyncResult).self) { group in
            var next = 0
            while next < repositories.count && next < limit {
                let (index, repository) = repositories[next]
                group.addTask { (index, await sync(repository)) }
                next += 1
            }
            while let finished = await group.next() {
                results.append(finished)
                if next < repositories.count {
                    let (index, repository) = repositories[next]
                    group.addTask { (index, await sync(repository)) }
                    next += 1
                }
            }
        }
        return results
    }

    /// Syncs one repository: every data source it is configured with, then records the outcome.
    public func sync(_ repository: RepositorySettings) async -> RepositorySyncResult {
        let job = RepositorySyncJob(
            settings: repository, store: store, client: client(for: repository.name), logger: logger, now: now, progress: progress,
            credential: credentialName(for: repository.name))
        return await job.run()
    }
}
