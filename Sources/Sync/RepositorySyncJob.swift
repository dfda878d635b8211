import Dora
import Foundation
import GitHubAPI
import Logging
import TwinConfig
import TwinStore

/// One sync of one repository. Lives inside a single task; not shared.
final class RepositorySyncJob {
    let settings: RepositorySettings
    let store: TwinStore
    let client: GitHubClient
    var logger: Logger
    let now: @Sendable () -> Date
    let progress: (@Sendable (SyncProgress) -> Void)?
    let tally = RequestTally()
    /// The `credential` label of `client`.
    let credential: String
    /// Progressive sync: a stream's first pass reaches back to here only (nil: whole history at once).
    var shallowHorizon: Date?
    /// The sync stops cleanly (outcome `rate_limited`, cursors kept) before a request that would take the
    /// credential's remaining rate limit below this reserve.
    var budgetFloor: Int?
    /// A deepening job: only the older history of partially covered streams (`deepenEverything`).
    var deepenOnly = false

    var counts: [String: EntityCount] = [:]
    var pages: [String: Int] = [:]
    var items: [String: Int] = [:]
    var warnings: [String] = []
    /// The entities this sync is limited to (a targeted sync); nil syncs everything.
    var only: Set<SyncEntity>?
    private var reportedMoves: Set<String> = []

    var repository: String { settings.name }

    init(
        settings: RepositorySettings, store: TwinStore, client: GitHubClient, logger: Logger,
        now: @escaping @Sendable () -> Date, progress: (@Sendable (SyncProgress) -> Void)?, credential: String = "default"
    ) {
        self.credential = credential
        self.settings = settings
        self.store = store
        self.client = client
        self.logger = logger
        self.logger[metadataKey: "repository"] = "\(settings.name)"
        self.now = now
        self.progress = progress
    }

    func run() async -> RepositorySyncResult {
        let startedAt = now()
        var outcome = SyncOutcome.success
        var errorText: String?
        var failure: (reason: String, resetAt: Date?)?
        let runId: Int64?
        do {
            runId = try store.beginSyncRun(repository: repository, startedAt: startedAt)
        } catch {
            return RepositorySyncResult(
                repository: repository, outcome: .failed, error: error.description, startedAt: startedAt,
                finishedAt: now(), reason: "store")
        }
        logger.debug("sync started")
        do {
            try await syncEverything()
        } catch {
            (outcome, errorText) = classify(error)
            if outcome == .failed || outcome == .rateLimited { failure = Self.reason(of: error) }
            logger.debug("sync stopped", metadata: ["outcome": "\(outcome.rawValue)", "error": "\(errorText ?? "")"])
        }
        let finishedAt = now()
        let rateLimit = client.lastRateLimit
        if let rateLimit {
            try? store.recordRateLimit(
                RateLimitRecord(
                    credential: credential, resource: rateLimit.resource, limit: rateLimit.limit, remaining: rateLimit.remaining,
                    used: rateLimit.used, reset: rateLimit.reset),
                observedAt: finishedAt)
        }
        let requests = tally.countsByStatus
        if let runId {
            do {
                try store.finishSyncRun(
                    id: runId, finishedAt: finishedAt, outcome: outcome.rawValue, error: errorText,
                    requestsByStatus: requests, itemsByEntity: counts.mapValues(\.fetched))
            } catch {
                logger.debug("sync run not recorded", metadata: ["error": "\(error)"])
            }
        }
        logger.debug(
            "sync finished",
            metadata: ["outcome": "\(outcome.rawValue)", "requests": "\(requests)", "rateLimitRemaining": "\(rateLimit?.remaining ?? -1)"])
        return RepositorySyncResult(
            repository: repository, outcome: outcome, error: errorText, startedAt: startedAt, finishedAt: finishedAt,
            entities: counts, requests: requests, warnings: warnings, rateLimitRemaining: rateLimit?.remaining,
            reason: failure?.reason, resetAt: failure?.resetAt)
    }

    /// The repository-independent kind of a failure, which summaries group by.
    private static func reason(of error: any Error) -> (reason: String, resetAt: Date?) {
        if let error = error as? GitHubError { return (error.kind.rawValue, error.resetAt) }
        if error is TwinStoreError { return ("store", nil) }
        return ("other", nil)
    }

    private func classify(_ error: any Error) -> (SyncOutcome, String?) {
        if let error = error as? GitHubError {
            switch error.kind {
            case .rateLimited: return (.rateLimited, error.description)
            case .cancelled: return (.cancelled, nil)
            default: break
            }
            if Task.isCancelled { return (.cancelled, nil) }
            return (.failed, "\(repository): \(error.description)")
        }
        if error is CancellationError || Task.isCancelled { return (.cancelled, nil) }
        if let error = error as? TwinStoreError { return (.failed, error.description) }
        return (.failed, "\(repository): \(error)")
    }

    /// Whether this sync runs the steps of `entity` (always, unless it is a targeted sync without it).
    func includes(_ entity: SyncEntity) -> Bool { only?.contains(entity) ?? true }

    private func syncEverything() async throws {
        if deepenOnly {
            try await deepenEverything()
            return
        }
        let sources = settings.sources
        let usesDeployments: Bool
        if case .deployments = settings.definitions.deploymentSource { usesDeployments = true } else { usesDeployments = false }
        var checked: Set<String> = []
        if includes(.repository) {
            for source in [sources.commits, sources.issues, sources.workflowRuns] + (usesDeployments ? [sources.deployments] : [])
            where checked.insert(source).inserted && !(settings.discovered && source == settings.name) {
                // A discovered repository is described by the discovery listing (which sees it renamed or gone).
                try await checkRepository(source)
            }
        }
        let depths = try planDepths()
        if includes(.commits) { try await syncCommits(source: sources.commits, depth: depths["commits"] ?? .whole) }
        if includes(.tags) {
            try await syncTags(source: sources.commits)
            if settings.definitions.deploymentSource == .tags {
                try await syncTagObjects(source: sources.commits)
            }
        }
        if includes(.releases) { try await syncReleases(source: sources.commits) }
        if includes(.issues) { try await syncIssues(source: sources.issues, depth: depths["issues"] ?? .whole) }
        if includes(.workflowRuns) {
            try await syncWorkflows(source: sources.workflowRuns)
            try await syncWorkflowRuns(source: sources.workflowRuns, depth: depths["workflow_runs"] ?? .whole)
        }
        if usesDeployments, includes(.deployments) {
            try await syncDeployments(source: sources.deployments)
        }
    }

    /// `GET /repos/{source}`: fails early and clearly on a wrong or deleted repository; notices renames.
    private func checkRepository(_ source: String) async throws {
        let url = "/repos/\(source)"
        let cached = try store.httpCacheEntry(url: url)
        let response = try await get(url, etag: cached?.etag, entity: "repository")
        if response.status == 200 {
            _ = try client.decode(GitHubRepository.self, from: response)
            count("repository", fetched: 1)
            var batch = StoreBatch()
            batch.httpCache = [HTTPCacheEntry(url: url, etag: response.etag, nextURL: nil)]
            try store.apply(batch, now: now())
        }
    }

    // MARK: - Requests and bookkeeping

    /// One GET through the client, counted, with a progress event. Stops first when the task is cancelled.
    func get(_ url: String, etag: String?, entity: String) async throws -> GitHubResponse {
        try Task.checkCancellation()
        if let floor = budgetFloor, let status = client.lastRateLimit, status.resource == "core", status.remaining <= floor,
            status.reset > now()
        {
            throw GitHubError(
                kind: .rateLimited, endpoint: GitHubError.endpoint(of: url),
                message: "budget reserve reached (\(status.remaining) requests left, reserve \(floor)); resuming after the reset",
                resetAt: status.reset)
        }
        let response = try await client.get(url, ifNoneMatch: etag, tally: tally)
        if let moved = response.movedPermanentlyTo, reportedMoves.insert(moved).inserted {
            let warning = "\(url) moved permanently to \(moved) (repository renamed or transferred): update the configuration"
            warnings.append(warning)
            logger.debug("github resource moved", metadata: ["url": "\(url)", "location": "\(moved)"])
        }
        pages[entity, default: 0] += 1
        emitProgress(entity)
        return response
    }

    func count(_ entity: String, fetched: Int = 0, stored: Int = 0) {
        counts[entity, default: EntityCount()].fetched += fetched
        counts[entity, default: EntityCount()].stored += stored
        items[entity, default: 0] += fetched
    }

    func record(_ result: StoreBatchResult) {
        for (entity, stored) in result.stored {
            count(entity.rawValue, stored: stored)
        }
    }

    func emitProgress(_ entity: String) {
        progress?(
            SyncProgress(
                repository: repository, entity: entity, pages: pages[entity] ?? 0, items: items[entity] ?? 0,
                rateLimitRemaining: client.lastRateLimit?.remaining))
    }

    func loadCursor<T: Decodable>(_ type: T.Type, stream: String) throws -> T? {
        CursorCoding.decode(type, try store.cursor(repository: repository, stream: stream))
    }

    func cursorUpdate<T: Encodable>(_ value: T?, stream: String) -> StoreBatch.CursorUpdate {
        StoreBatch.CursorUpdate(repository: repository, stream: stream, state: value.map { CursorCoding.encode($0) })
    }

    @discardableResult
    func apply(_ batch: StoreBatch) throws -> StoreBatchResult {
        let result = try store.apply(batch, now: now())
        record(result)
        return result
    }
}
