import Foundation
import Logging
import ServiceLifecycle

/// The daemon's periodic sync as a swift-service-lifecycle `Service`: one cycle at a time (they never
/// overlap: the loop awaits each), timed by `SyncSchedule`. Graceful shutdown (SIGTERM/SIGINT through the
/// `ServiceGroup`) cancels the wait or the cycle in flight; the sync then checkpoints its page and stops.
public struct SyncScheduler: Service {
    /// One cycle: sync, project, refresh the snapshot. Returns how the sync ended.
    public typealias Cycle = @Sendable () async -> SyncSchedule.Outcome

    let schedule: SyncSchedule
    let lastSuccess: Date?
    let cycle: Cycle
    let sleep: @Sendable (TimeInterval) async throws -> Void
    let now: @Sendable () -> Date
    let logger: Logger
    let maximumCycles: Int?

    /// - Parameters:
    ///   - lastSuccess: the store's last successful sync, for the first cycle's timing.
    ///   - sleep: waits (injected in tests); must throw on cancellation.
    ///   - maximumCycles: stop after this many cycles (tests); nil runs until shutdown.
    public init(
        schedule: SyncSchedule, lastSuccess: Date?, logger: Logger,
        sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
        now: @escaping @Sendable () -> Date = { Date() }, maximumCycles: Int? = nil, cycle: @escaping Cycle
    ) {
        self.schedule = schedule
        self.lastSuccess = lastSuccess
        self.cycle = cycle
        self.sleep = sleep
        self.now = now
        self.logger = logger
        self.maximumCycles = maximumCycles
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await loop() }
        } catch is CancellationError {
            logger.debug("sync scheduler stopped")
        }
    }

    func loop() async throws {
        var delay = schedule.initialDelay(lastSuccess: lastSuccess, now: now())
        if delay > 0 { logger.info("first sync waits for the next due time", metadata: ["seconds": "\(Int(delay))"]) }
        var consecutiveFailures = 0
        var cycles = 0
        while maximumCycles.map({ cycles < $0 }) ?? true {
            if delay > 0 { try await sleep(delay) }
            try Task.checkCancellation()
            let outcome = await cycle()
            cycles += 1
            switch outcome {
            case .failed, .rateLimited: consecutiveFailures += 1
            case .success: consecutiveFailures = 0
            case .cancelled: break
            }
            if case .cancelled = outcome, Task.isCancelled { return }
            delay = schedule.delay(after: outcome, consecutiveFailures: consecutiveFailures, now: now())
            logger.debug("next sync scheduled", metadata: ["seconds": "\(Int(delay))"])
        }
    }
}
