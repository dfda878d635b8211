import Foundation
import Logging
import ServiceLifecycle
import Sync
import TwinConfig
import Webhooks

/// Turns the webhook queue into targeted syncs: takes everything pending after the coalescing window, syncs each
/// repository limited to the entities its deliveries named (through the shared `SyncEngine`, so its per-repository
/// lock keeps the scheduled cycle off the same cursors), refreshes the served snapshot, records each delivery's
/// time to that snapshot, then projects into Neo4j when configured.
struct WebhookWorker: Service {
    let queue: CoalescingQueue
    let window: Duration
    /// The engine of the credentials and repositories in force (the session's, sharing the cycle's locks).
    let engine: @Sendable () async -> SyncEngine
    let projection: ProjectionWiring
    let refresher: SnapshotRefresh
    let statistics: WebhookStatistics
    let publisher: WebhookMetricsPublisher
    let catalogue: RepositoryCatalogue
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    let batch = try await queue.nextBatch(window: window)
                    _ = await process(batch)
                }
            }
        } catch is CancellationError {
            logger.debug("webhook worker stopped")
        }
    }

    /// Runs one coalesced batch; returns the sync results (tests, benchmarks).
    func process(_ batch: [CoalescingQueue.Item]) async -> [RepositorySyncResult] {
        let configuration = catalogue.current
        let engine = await self.engine()
        let byName = Dictionary(configuration.repositories.map { ($0.name, $0) }) { first, _ in first }
        let work = batch.compactMap { item in byName[item.route.repository].map { ($0, item.route.entities) } }
        let limit = max(1, configuration.sync.concurrency)
        var results: [RepositorySyncResult] = []
        await withTaskGroup(of: RepositorySyncResult.self) { group in
            var next = 0
            while next < work.count && next < limit {
                let (settings, entities) = work[next]
                group.addTask { await engine.sync(settings, only: entities) }
                next += 1
            }
            while let result = await group.next() {
                results.append(result)
                if next < work.count {
                    let (settings, entities) = work[next]
                    group.addTask { await engine.sync(settings, only: entities) }
                    next += 1
                }
            }
        }
        let summary = SyncSummary(repositories: results)
        for result in results where result.outcome != .success {
            logger.warning(
                "webhook-triggered sync did not finish; the scheduled sync catches up",
                metadata: ["repository": "\(result.repository)", "outcome": "\(result.outcome.rawValue)", "error": "\(result.error ?? "")"])
        }
        // Only the synced repositories (and their groups) are recomputed: the time to /metrics does not grow
        // with the organisation.
        refresher.refresh(changed: Set(results.map(\.repository)))
        let refreshed = ContinuousClock.now
        for item in batch {
            for arrival in item.arrivals {
                statistics.observeDeliveryToSnapshot(seconds: Self.seconds(refreshed - arrival))
            }
        }
        publisher.republish(statistics.snapshot)
        logger.debug(
            "webhook batch synced",
            metadata: [
                "repositories": "\(batch.map(\.route.repository))",
                "deliveries": "\(batch.reduce(0) { $0 + $1.arrivals.count })",
            ])
        if !Task.isCancelled, projection.projector != nil {
            await projection.projectAll(after: summary, only: Set(results.map(\.repository)))
            refresher.refresh(changed: Set(results.map(\.repository)))
        }
        return results
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
