import Foundation
import Logging
import Sync
import TwinStore

/// One cycle of the daemon: refresh the credentials and discover the organisations' repositories, sync within
/// each credential's budget (publishing each repository's numbers as its sync ends), publish the new numbers,
/// project into Neo4j (when configured) and publish again. The `SyncScheduler` runs it; cycles never overlap.
public struct DaemonCycle: Sendable {
    let session: SyncSession
    let catalogue: RepositoryCatalogue
    let budgets: BudgetStatus
    let projection: ProjectionWiring
    let refresher: SnapshotRefresh
    let store: TwinStore
    let afterCycle: @Sendable (SyncSummary) async -> Void
    let logger: Logger

    /// Runs the cycle and says how the sync ended, for the schedule.
    public func run() async -> SyncSchedule.Outcome {
        let publisher = PartialRefresh(refresher: refresher)
        let prepared = await session.prepare(onRepositoryFinished: { publisher.finished($0.repository) })
        catalogue.update(prepared.configuration)
        let summary = await prepared.engine.syncAll(prepared.configuration.repositories)
        await publisher.stop()
        budgets.set(summary.budgets)
        do {
            // Kept, so a restart serves the budget gauges and the estimate at once.
            try PlannerState.save(budgets: summary.budgets, statistics: session.statistics, store: store, now: Date())
        } catch {
            logger.warning("planner state not stored", metadata: ["error": "\(error)"])
        }
        SyncDigest.log(summary, logger: logger)
        // Serve the new numbers at once; a slow or absent Neo4j must not hold them back.
        refresher.refresh()
        if !Task.isCancelled, projection.projector != nil {
            await projection.projectAll(after: summary)
            refresher.refresh()
        }
        await afterCycle(summary)
        MemoryRelease.returnFreedMemory()
        return TwinDaemon.scheduleOutcome(summary, rateLimitReset: try? store.lastRateLimit()?.reset)
    }
}
