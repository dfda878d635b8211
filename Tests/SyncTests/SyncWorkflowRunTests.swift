import Foundation
import GitHubSimulator
import Logging
import Synchronization
import Testing
import TwinConfig
import TwinStore

@testable import Sync

@Suite("Syncing workflow runs")
struct SyncWorkflowRunTests {
    /// Adds `count` completed runs created one minute apart, starting at `start`.
    static func addRuns(_ repository: inout SimulatedRepository, count: Int, start: Date, firstID: Int) {
        let workflow = repository.workflows.first!
        let head = repository.commits.last!.sha
        for i in 0..<count {
            let created = start.addingTimeInterval(Double(i) * 60)
            repository.runs.append(
                SimWorkflowRun(id: firstID + i, workflowId: workflow.id, name: workflow.name, headBranch: "main",
                               headSha: head, runNumber: 100_000 + i, createdAt: created,
                               runStartedAt: created, updatedAt: created.addingTimeInterval(30)))
        }
    }

    @Test("more than 1,000 runs are all stored from the unfiltered listing, which has no cap; an unchanged repository then costs nothing")
    func capIsNeverHit() async throws {
        try await SyncHarness.run { (harness) async throws in
            let horizon = SyncHarness.now.addingTimeInterval(-10 * 86_400)
            harness.github.update(SyncHarness.name) { repository in
                Self.addRuns(&repository, count: 2_600, start: horizon.addingTimeInterval(3600), firstID: 50_000_000)
            }
            let result = await harness.sync(SyncHarness.settings(since: horizon))
            #expect(result.outcome == .success, "\(result.error ?? "")")
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            let expected = Set(simulated.runs.filter { $0.createdAt >= horizon }.map { Int64($0.id) })
            let stored = Set(try harness.store.repositoryData(SyncHarness.name).workflowRuns.map(\.id))
            #expect(expected.isSubset(of: stored))
            let listings = harness.github.requestLog.filter { $0.pathAndQuery.contains("/actions/runs?") }
            #expect(!listings.contains { $0.pathAndQuery.contains("created=") })
            // One page per 100 runs (and the page that reaches past `since`), nothing twice.
            #expect(listings.count == Set(listings.map(\.pathAndQuery)).count)
            #expect(listings.count <= (simulated.runs.count + 99) / 100)
            // Unchanged: the next sync is free.
            let remaining = harness.github.rateLimitRemaining
            let second = await harness.sync(SyncHarness.settings(since: horizon))
            #expect(Set(second.requests.keys) == ["304"], "\(second.requests)")
            #expect(harness.github.rateLimitRemaining == remaining)
        }
    }

    @Test("runs created while the listing is walked shift its pages: runs repeat, none is lost")
    func runsArrivingMeanwhileAreNotLost() async throws {
        try await SyncHarness.run { (harness) async throws in
            let start = SyncHarness.now.addingTimeInterval(-20 * 86_400)
            harness.github.update(SyncHarness.name) { repository in
                Self.addRuns(&repository, count: 900, start: start, firstID: 80_000_000)
            }
            let before = Set(try #require(harness.github.repository(SyncHarness.name)).runs.map { Int64($0.id) })
            let github = harness.github
            let added = Mutex(false)
            let settings = SyncHarness.settings()
            let engine = SyncEngine(
                store: harness.store, client: harness.client(), configuration: TwinConfiguration(repositories: [settings]),
                logger: Logger(label: "sync"), now: { SyncHarness.now },
                progress: { progress in
                    // After the second page of runs, 150 new runs arrive on top of the listing.
                    guard progress.entity == "workflow_runs", progress.pages == 2 else { return }
                    let first = added.withLock { done -> Bool in
                        defer { done = true }
                        return !done
                    }
                    guard first else { return }
                    github.update(SyncHarness.name) { repository in
                        Self.addRuns(&repository, count: 150, start: SyncHarness.now.addingTimeInterval(-3 * 3600), firstID: 81_000_000)
                    }
                })
            #expect(await engine.sync(settings).outcome == .success)
            #expect(added.withLock { $0 })
            let stored = Set(try harness.store.repositoryData(SyncHarness.name).workflowRuns.map(\.id))
            #expect(before.isSubset(of: stored), "\(before.subtracting(stored).count) runs lost")
            // The next sync brings the runs that arrived at the top.
            #expect(await engine.sync(settings).outcome == .success)
            let all = Set(try #require(harness.github.repository(SyncHarness.name)).runs.map { Int64($0.id) })
            #expect(Set(try harness.store.repositoryData(SyncHarness.name).workflowRuns.map(\.id)) == all)
        }
    }

    @Test("deepening continues the shallow pass's listing where it stopped, with runs that arrived in between")
    func deepeningContinuesTheListing() async throws {
        try await SyncHarness.run { (harness) async throws in
            harness.github.update(SyncHarness.name) { repository in
                Self.addRuns(&repository, count: 1_200, start: SyncHarness.now.addingTimeInterval(-150 * 86_400), firstID: 90_000_000)
                // One run every three hours.
                for index in repository.runs.indices where (90_000_000..<91_000_000).contains(repository.runs[index].id) {
                    let created = SyncHarness.now.addingTimeInterval(-150 * 86_400 + Double(repository.runs[index].id - 90_000_000) * 3 * 3600)
                    repository.runs[index].createdAt = created
                    repository.runs[index].runStartedAt = created
                    repository.runs[index].updatedAt = created.addingTimeInterval(30)
                }
            }
            let before = Set(try #require(harness.github.repository(SyncHarness.name)).runs.map { Int64($0.id) })
            let settings = SyncHarness.settings()
            let engine = SyncEngine(
                store: harness.store, client: harness.client(), configuration: TwinConfiguration(repositories: [settings]),
                logger: Logger(label: "sync"), now: { SyncHarness.now })
            let horizon = SyncHarness.now.addingTimeInterval(-30 * 86_400)
            let shallow = await engine.runJob(settings, deepenOnly: false, budgetFloor: nil, horizon: .some(horizon))
            #expect(shallow.outcome == .success, "\(shallow.error ?? "")")
            #expect(try harness.store.streamCoverage(repository: SyncHarness.name)["workflow_runs"]?.complete == false)
            let shallowPages = harness.github.requestLog.filter { $0.pathAndQuery.contains("/actions/runs?") }.count
            harness.github.update(SyncHarness.name) { repository in
                Self.addRuns(&repository, count: 250, start: SyncHarness.now.addingTimeInterval(-6 * 3600), firstID: 91_000_000)
            }
            let deep = await engine.runJob(settings, deepenOnly: true, budgetFloor: nil, horizon: .some(horizon))
            #expect(deep.outcome == .success, "\(deep.error ?? "")")
            let stored = Set(try harness.store.repositoryData(SyncHarness.name).workflowRuns.map(\.id))
            #expect(before.isSubset(of: stored), "\(before.subtracting(stored).count) runs lost")
            let listings = harness.github.requestLog.filter { $0.pathAndQuery.contains("/actions/runs?") }
            #expect(!listings.contains { $0.pathAndQuery.contains("created=") })
            // Shallow and deep together: the pages of one listing, and the three the new runs pushed down.
            #expect(listings.count - shallowPages > 0)
            #expect(listings.count <= (before.count + 99) / 100 + 3)
            #expect(try harness.store.streamCoverage(repository: SyncHarness.name)["workflow_runs"]?.complete == true)
        }
    }

    @Test("runs in progress are fetched again until they complete")
    func inProgressRunsAreRefetched() async throws {
        try await SyncHarness.run { (harness) async throws in
            let start = SyncHarness.now.addingTimeInterval(-5 * 86_400)
            harness.github.update(SyncHarness.name) { repository in
                Self.addRuns(&repository, count: 250, start: start, firstID: 60_000_000)
                let index = repository.runs.firstIndex { $0.id == 60_000_000 }!
                repository.runs[index].status = "in_progress"
                repository.runs[index].conclusion = nil
            }
            #expect(await harness.sync().outcome == .success)
            var run = try harness.store.repositoryData(SyncHarness.name).workflowRuns.first { $0.id == 60_000_000 }
            #expect(run?.status == "in_progress")

            // Unchanged and still running: re-checked with an ETag, free.
            let remaining = harness.github.rateLimitRemaining
            let unchanged = await harness.sync()
            #expect(Set(unchanged.requests.keys) == ["304"], "\(unchanged.requests)")
            #expect(harness.github.rateLimitRemaining == remaining)

            harness.github.update(SyncHarness.name) { repository in
                let index = repository.runs.firstIndex { $0.id == 60_000_000 }!
                repository.runs[index].status = "completed"
                repository.runs[index].conclusion = "failure"
                repository.runs[index].updatedAt = SyncHarness.now
            }
            #expect(await harness.sync().outcome == .success)
            run = try harness.store.repositoryData(SyncHarness.name).workflowRuns.first { $0.id == 60_000_000 }
            #expect(run?.status == "completed")
            #expect(run?.conclusion == "failure")
            #expect(harness.github.requestLog.contains { $0.pathAndQuery.hasSuffix("/actions/runs/60000000") })
        }
    }

    @Test("a re-run of a recent completed run is picked up by the next sync")
    func reRunsOfRecentRunsArePickedUp() async throws {
        try await SyncHarness.run { (harness) async throws in
            let start = SyncHarness.now.addingTimeInterval(-2 * 86_400)
            harness.github.update(SyncHarness.name) { repository in
                Self.addRuns(&repository, count: 300, start: start, firstID: 70_000_000)
            }
            #expect(await harness.sync().outcome == .success)
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            let newest = try #require(simulated.runs.map(\.createdAt).max())
            let target = try #require(
                simulated.runs.filter { $0.createdAt < newest.addingTimeInterval(-3600) }.max { $0.createdAt < $1.createdAt })
            harness.github.update(SyncHarness.name) { repository in
                let index = repository.runs.firstIndex { $0.id == target.id }!
                repository.runs[index].runAttempt = 2
                repository.runs[index].conclusion = "success"
                repository.runs[index].updatedAt = SyncHarness.now
            }
            #expect(await harness.sync().outcome == .success)
            let stored = try harness.store.repositoryData(SyncHarness.name).workflowRuns.first { $0.id == Int64(target.id) }
            #expect(stored?.runAttempt == 2)
        }
    }
}
