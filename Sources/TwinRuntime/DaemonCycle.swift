import Logging
import Sync
import TwinStore

/// One cycle of the daemon: sync every repository, publish the new numbers, project into Neo4j (when
/// configured) and publish again. The `SyncScheduler` runs it; cycles never overlap.
public struct DaemonCycle: Sendable {
    let engine: SyncEngine
    let projection: ProjectionWiring
    let refresher: SnapshotRefresh
    let store: TwinStore
    let afterCycle: @Sendable (SyncSummary) async -> Void
    let logger: Logger

    /// Runs the cycle and says how the sync ended, for the schedule.
    public func run() async -> SyncSchedule.Outcome {
        let summary = await engine.syncAll()
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
