import Foundation
import GitHubSimulator
import Sync
import Testing
import TwinStore

@Suite("Syncing against the simulator")
struct SyncFullAndIncrementalTests {
    @Test("a full sync stores exactly the simulator's data")
    func fullSyncEqualsSimulator() async throws {
        try await SyncHarness.run { (harness) async throws in
            let result = await harness.sync(SyncHarness.settings(deployments: true))
            #expect(result.outcome == .success, "\(result.error ?? "")")
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            #expect(try harness.counts() == SyncHarness.expected(simulated))
            #expect(try harness.store.entityCounts(SyncHarness.name)["deployments"] == simulated.deployments.count)

            let data = try harness.store.repositoryData(SyncHarness.name)
            #expect(Set(data.commits.map(\.sha)) == SyncHarness.reachableShas(simulated))
            // Release commits are the tags' peeled commits, never target_commitish.
            let tagCommit = Dictionary(simulated.tags.map { ($0.name, $0.commitSha) }, uniquingKeysWith: { a, _ in a })
            for release in simulated.releases {
                let stored = try #require(data.releases.first { $0.id == Int64(release.id) })
                #expect(stored.commitSha == tagCommit[release.tagName], "release \(release.tagName)")
            }
            // Pull requests are flagged as such.
            for issue in simulated.issues {
                let stored = try #require(data.issues.first { $0.number == issue.number })
                #expect(stored.isPullRequest == issue.isPullRequest)
                #expect(stored.labels == issue.labels)
                #expect(stored.state == issue.state)
            }
            if let run = simulated.runs.last {
                let stored = try #require(data.workflowRuns.first { $0.id == Int64(run.id) })
                #expect(stored.headSha == run.headSha)
                #expect(stored.status == run.status)
                #expect(stored.conclusion == run.conclusion)
                #expect(stored.runAttempt == run.runAttempt)
            }
            for deployment in simulated.deployments {
                let stored = try #require(data.deployments.first { $0.id == Int64(deployment.id) })
                let latest = deployment.statuses.max { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
                #expect(stored.latestState == latest?.state)
            }
            #expect(result.entities["commits"]?.fetched ?? 0 >= simulated.commits.count / 2)
            #expect(result.requests["200"] ?? 0 > 0)
            let health = try harness.store.syncHealth(SyncHarness.name)
            #expect(health.outcomes == ["success": 1])
            #expect(try harness.store.lastRateLimit() != nil)
        }
    }

    @Test("a second sync with nothing changed makes only 304s, costs no rate-limit point and changes nothing")
    func unchangedSyncIsFree() async throws {
        try await SyncHarness.run { (harness) async throws in
            let settings = SyncHarness.settings(deployments: true)
            let first = await harness.sync(settings)
            #expect(first.outcome == .success, "\(first.error ?? "")")
            let sequence = try harness.store.maxSequence(repository: SyncHarness.name)
            let remaining = harness.github.rateLimitRemaining
            let second = await harness.sync(settings)
            #expect(second.outcome == .success, "\(second.error ?? "")")
            #expect(Set(second.requests.keys) == ["304"], "\(second.requests)")
            #expect(harness.github.rateLimitRemaining == remaining)
            #expect(try harness.store.maxSequence(repository: SyncHarness.name) == sequence)
            #expect(second.entities.values.allSatisfy { $0.stored == 0 })
        }
    }

    @Test("an incremental sync picks up new commits, issues, runs and releases")
    func incrementalSync() async throws {
        try await SyncHarness.run { (harness) async throws in
            #expect(await harness.sync().outcome == .success)
            let firstRequests = harness.github.requestLog.count
            harness.github.update(SyncHarness.name) { repository in
                let head = repository.commits.last!
                let new1 = SimCommit(sha: String(repeating: "a", count: 40), parents: [head.sha], authorDate: SyncHarness.now)
                let new2 = SimCommit(sha: String(repeating: "b", count: 40), parents: [new1.sha], authorDate: SyncHarness.now.addingTimeInterval(60))
                repository.commits += [new1, new2]
                repository.tags.append(SimTag(name: "v99.0.0", commitSha: new2.sha))
                repository.releases.append(
                    SimRelease(id: 999_999, tagName: "v99.0.0", name: "v99", draft: false, prerelease: false,
                               createdAt: SyncHarness.now.addingTimeInterval(120), publishedAt: SyncHarness.now.addingTimeInterval(120),
                               targetCommitish: "main"))
                let nextNumber = (repository.issues.map(\.number).max() ?? 0) + 1
                repository.issues.append(
                    SimIssue(id: 88_888_888, number: nextNumber, title: "New incident", labels: ["incident"],
                             createdAt: SyncHarness.now.addingTimeInterval(30)))
                let workflow = repository.workflows.first!
                repository.runs.append(
                    SimWorkflowRun(id: 77_777_777, workflowId: workflow.id, name: workflow.name, headBranch: "main",
                                   headSha: new2.sha, runNumber: 9999, createdAt: SyncHarness.now.addingTimeInterval(90)))
            }
            let result = await harness.sync()
            #expect(result.outcome == .success, "\(result.error ?? "")")
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            #expect(try harness.counts() == SyncHarness.expected(simulated))
            let data = try harness.store.repositoryData(SyncHarness.name)
            #expect(data.releases.first { $0.id == 999_999 }?.commitSha == String(repeating: "b", count: 40))
            #expect(data.issues.contains { $0.title == "New incident" })
            #expect(data.workflowRuns.contains { $0.id == 77_777_777 })
            #expect(result.entities["commits"]?.stored == 2)
            #expect(harness.github.requestLog.count - firstRequests < firstRequests / 2)
        }
    }

    @Test("a force-push soft-deletes the rewritten commits and stores the new ones")
    func forcePushIsDetected() async throws {
        try await SyncHarness.run { (harness) async throws in
            #expect(await harness.sync().outcome == .success)
            var dropped: [String] = []
            harness.github.update(SyncHarness.name) { repository in
                dropped = repository.commits.suffix(2).map(\.sha)
                repository.commits.removeLast(2)
                let base = repository.commits.last!
                repository.commits.append(
                    SimCommit(sha: String(repeating: "f", count: 40), parents: [base.sha], authorDate: SyncHarness.now))
                repository.tags.removeAll { dropped.contains($0.commitSha) }
                repository.releases.removeAll { release in !repository.tags.contains { $0.name == release.tagName } }
            }
            let result = await harness.sync()
            #expect(result.outcome == .success, "\(result.error ?? "")")
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            let live = Set(try harness.store.repositoryData(SyncHarness.name).commits.map(\.sha))
            #expect(live == SyncHarness.reachableShas(simulated))
            let feed = try harness.store.commits(repository: SyncHarness.name, afterSequence: 0, limit: 100_000)
            #expect(Set(feed.filter(\.deleted).map(\.sha)).isSuperset(of: dropped.filter { !live.contains($0) }))
            #expect(try harness.counts() == SyncHarness.expected(simulated))
        }
    }

    @Test("the since horizon limits how far back the first sync goes")
    func horizonLimitsFirstSync() async throws {
        try await SyncHarness.run { (harness) async throws in
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            let dates = simulated.commits.map(\.committerDate).sorted()
            let horizon = dates[dates.count / 2]
            let result = await harness.sync(SyncHarness.settings(since: horizon))
            #expect(result.outcome == .success, "\(result.error ?? "")")
            let data = try harness.store.repositoryData(SyncHarness.name)
            #expect(data.commits.allSatisfy { $0.committedAt >= horizon })
            #expect(Set(data.commits.map(\.sha)) == SyncHarness.reachableShas(simulated, since: horizon))
            #expect(data.workflowRuns.allSatisfy { $0.createdAt >= horizon })
        }
    }
}
