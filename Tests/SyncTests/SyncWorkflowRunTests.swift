import Foundation
import GitHubSimulator
import Sync
import Testing
import TwinStore

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

    @Test("more than 1,000 runs in one created window are all stored, by splitting the window")
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
            #expect(stored == expected)
            let windows = harness.github.requestLog.filter { $0.pathAndQuery.contains("created=") && $0.pathAndQuery.contains("..") }
            #expect(!windows.isEmpty)
            // Unchanged: the next sync is free.
            let remaining = harness.github.rateLimitRemaining
            let second = await harness.sync(SyncHarness.settings(since: horizon))
            #expect(Set(second.requests.keys) == ["304"], "\(second.requests)")
            #expect(harness.github.rateLimitRemaining == remaining)
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
