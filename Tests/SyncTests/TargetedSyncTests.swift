import Foundation
import GitHubSimulator
import Logging
import Sync
import Synchronization
import Testing
import TwinConfig

/// A sync limited to some entities (what a webhook asks for) runs only their steps, through the same cursors,
/// and never at the same time as another sync of the same repository.
@Suite struct TargetedSyncTests {
    @Test func aTargetedSyncRequestsOnlyItsEntitiesAndAdvancesTheSameCursors() async throws {
        try await SyncHarness.run { harness in
            #expect(await harness.sync().outcome == .success)
            let before = try harness.counts()
            harness.github.update(SyncHarness.name) { repository in
                let number = (repository.issues.map(\.number).max() ?? 0) + 1
                repository.issues.append(
                    SimIssue(id: 9_000_000 + number, number: number, title: "Outage", labels: ["incident"], createdAt: SyncHarness.now.addingTimeInterval(3600)))
            }
            harness.github.clearRequestLog()
            let settings = SyncHarness.settings()
            let engine = SyncEngine(
                store: harness.store, client: harness.client(), configuration: TwinConfiguration(repositories: [settings]),
                logger: Logger(label: "sync"), now: { SyncHarness.now })
            let result = await engine.sync(settings, only: [.issues])
            #expect(result.outcome == .success)
            let paths = harness.github.requestLog.map(\.pathAndQuery)
            #expect(!paths.isEmpty)
            #expect(paths.allSatisfy { $0.hasPrefix("/repos/\(SyncHarness.name)/issues") }, "\(paths)")
            var after = try harness.counts()
            let issues = after["issues", default: 0]
            #expect(issues == before["issues", default: 0] + 1)
            after["issues"] = before["issues"]
            #expect(after == before)
            // The full sync after it keeps the same store: the targeted sync wrote through the shared code.
            #expect(await harness.sync().outcome == .success)
            #expect(try harness.counts()["issues"] == issues)
        }
    }

    @Test func twoSyncsOfOneRepositoryNeverOverlap() async throws {
        let locks = RepositoryLocks()
        let inside = Occupancy()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    await locks.withLock(index % 2 == 0 ? "octo/app" : "OCTO/APP") {
                        inside.enter()
                        await Task.yield()
                        inside.leave()
                    }
                }
            }
        }
        #expect(inside.most == 1)
        #expect(await !locks.isHeld("octo/app"))
    }

    @Test func syncsOfDifferentRepositoriesRunAtOnce() async throws {
        let locks = RepositoryLocks()
        let (entered, signal) = AsyncStream.makeStream(of: Void.self)
        await withTaskGroup(of: Void.self) { group in
            // The first holds its lock until the second, another repository's, has got in.
            group.addTask {
                await locks.withLock("octo/one") {
                    var iterator = entered.makeAsyncIterator()
                    _ = await iterator.next()
                }
            }
            group.addTask {
                await locks.withLock("octo/two") { _ = signal.yield() }
            }
        }
        #expect(await !locks.isHeld("octo/one"))
    }
}

/// How many tasks are inside a section now, and the most there ever were at once.
final class Occupancy: Sendable {
    private let state = Mutex((current: 0, most: 0))

    func enter() {
        state.withLock {
            $0.current += 1
            $0.most = max($0.most, $0.current)
        }
    }

    func leave() { state.withLock { $0.current -= 1 } }

    var most: Int { state.withLock { $0.most } }
}
