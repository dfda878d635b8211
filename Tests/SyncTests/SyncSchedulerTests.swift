import Foundation
import Logging
import Synchronization
import Testing

@testable import Sync

@Suite struct SyncSchedulerTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func theFirstSyncStartsAtOnceWithoutARecentOne() {
        let schedule = SyncSchedule(interval: 900)
        #expect(schedule.initialDelay(lastSuccess: nil, now: t0) == 0)
        #expect(schedule.initialDelay(lastSuccess: t0.addingTimeInterval(-3600), now: t0) == 0)
    }

    @Test func theFirstSyncWaitsForTheNextDueTimeAfterARecentOne() {
        let schedule = SyncSchedule(interval: 900)
        #expect(schedule.initialDelay(lastSuccess: t0.addingTimeInterval(-300), now: t0) == 600)
        // A last sync "in the future" (clock skew) never waits longer than one interval.
        #expect(schedule.initialDelay(lastSuccess: t0.addingTimeInterval(5000), now: t0) == 900)
    }

    @Test(arguments: [(1, 900.0), (2, 1800.0), (3, 3600.0), (4, 7200.0), (5, 7200.0), (12, 7200.0)])
    func failuresBackOffExponentiallyUpToTheCap(failures: Int, expected: Double) {
        let schedule = SyncSchedule(interval: 900)  // cap: min(8 × interval, 6 h) = 7200 s
        #expect(schedule.delay(after: .failed, consecutiveFailures: failures, now: t0) == expected)
    }

    @Test func aRateLimitedStopWaitsForTheReset() {
        let schedule = SyncSchedule(interval: 900)
        #expect(schedule.delay(after: .rateLimited(resetAt: t0.addingTimeInterval(2000)), consecutiveFailures: 1, now: t0) == 2001)
        #expect(schedule.delay(after: .rateLimited(resetAt: t0.addingTimeInterval(10)), consecutiveFailures: 1, now: t0) == 900)
        #expect(schedule.delay(after: .success, consecutiveFailures: 0, now: t0) == 900)
    }

    @Test func cyclesNeverOverlapAndFollowTheSchedule() async throws {
        let state = Mutex<(running: Int, maxRunning: Int, sleeps: [TimeInterval])>((0, 0, []))
        let outcomes: [SyncSchedule.Outcome] = [.failed, .failed, .success, .failed, .success]
        let index = Mutex(0)
        let scheduler = SyncScheduler(
            schedule: SyncSchedule(interval: 60), lastSuccess: nil, logger: Logger(label: "test"),
            sleep: { seconds in state.withLock { $0.sleeps.append(seconds) } },
            now: { self.t0 }, maximumCycles: outcomes.count
        ) {
            state.withLock {
                $0.running += 1
                $0.maxRunning = max($0.maxRunning, $0.running)
            }
            await Task.yield()
            state.withLock { $0.running -= 1 }
            return index.withLock { i in
                defer { i += 1 }
                return outcomes[i]
            }
        }
        try await scheduler.loop()
        let final = state.withLock { $0 }
        #expect(final.maxRunning == 1)
        #expect(index.withLock { $0 } == 5)
        // No initial wait (no previous sync); then 60 (1st failure), 120 (2nd), 60 (success), 60 (failure after success).
        #expect(final.sleeps == [60, 120, 60, 60])
    }

    @Test func aRecentSyncInTheStoreDelaysTheFirstCycle() async throws {
        let sleeps = Mutex<[TimeInterval]>([])
        let scheduler = SyncScheduler(
            schedule: SyncSchedule(interval: 600), lastSuccess: t0.addingTimeInterval(-100), logger: Logger(label: "test"),
            sleep: { seconds in sleeps.withLock { $0.append(seconds) } }, now: { self.t0 }, maximumCycles: 1
        ) { .success }
        try await scheduler.loop()
        #expect(sleeps.withLock { $0 } == [500])
    }

    @Test func cancellationStopsTheWait() async throws {
        let cycles = Mutex(0)
        let scheduler = SyncScheduler(
            schedule: SyncSchedule(interval: 600), lastSuccess: nil, logger: Logger(label: "test"),
            sleep: { _ in throw CancellationError() }, now: { self.t0 }
        ) {
            cycles.withLock { $0 += 1 }
            return .success
        }
        await #expect(throws: CancellationError.self) { try await scheduler.loop() }
        #expect(cycles.withLock { $0 } == 1)
    }
}
