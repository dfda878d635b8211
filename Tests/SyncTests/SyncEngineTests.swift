import Foundation
import GitHubSimulator
import Logging
import Sync
import Synchronization
import Testing
import TwinConfig
import TwinStore

@Suite("The sync engine")
struct SyncEngineTests {
    @Test("syncAll syncs every repository with bounded concurrency and reports them in configuration order")
    func syncAllReportsInOrder() async throws {
        let second = SimulatedRepository.generated(
            owner: "octo", name: "lib", seed: 11, commits: 120, now: SyncHarness.now)
        try await SyncHarness.run([SyncHarness.generated(commits: 150), second]) { (harness) async throws in
            var configuration = TwinConfiguration(
                repositories: [SyncHarness.settings("octo/lib"), SyncHarness.settings(SyncHarness.name)])
            configuration.sync.concurrency = 1
            let events = Mutex<[SyncProgress]>([])
            let engine = SyncEngine(
                store: harness.store, client: harness.client(), configuration: configuration,
                logger: Logger(label: "sync"), now: { SyncHarness.now },
                progress: { event in events.withLock { $0.append(event) } })
            let summary = await engine.syncAll()
            #expect(summary.repositories.map(\.repository) == ["octo/lib", SyncHarness.name])
            #expect(summary.succeeded)
            #expect(try harness.store.repositories() == ["octo/app", "octo/lib"])
            #expect(try harness.store.entityCounts("octo/lib")["commits"] == SyncHarness.reachableShas(second).count)

            let seen = events.withLock { $0 }
            #expect(Set(seen.map(\.repository)) == ["octo/app", "octo/lib"])
            #expect(seen.contains { $0.entity == "commits" && $0.pages >= 2 && $0.items >= 100 })
            #expect(seen.contains { $0.rateLimitRemaining != nil })

            // The summary is the machine-readable output of `devops-twin sync --json`.
            let json = try JSONEncoder().encode(summary)
            let decoded = try JSONDecoder().decode(SyncSummary.self, from: json)
            #expect(decoded == summary)
            let text = String(decoding: json, as: UTF8.self)
            #expect(text.contains("\"outcome\":\"success\""))
        }
    }

    @Test("a release whose tag is missing from the tags listing is resolved through the git database, drafts are not")
    func missingTagsAreResolvedThroughGit() async throws {
        try await SyncHarness.run { (harness) async throws in
            harness.github.update(SyncHarness.name) { repository in
                repository.releases.append(
                    SimRelease(id: 424_242, tagName: "v-ghost", name: "ghost", draft: false, prerelease: false,
                               createdAt: SyncHarness.now, publishedAt: SyncHarness.now, targetCommitish: "main"))
                repository.releases.append(
                    SimRelease(id: 434_343, tagName: "v-draft", name: "draft", draft: true, prerelease: false,
                               createdAt: SyncHarness.now, publishedAt: nil, targetCommitish: "main"))
            }
            let result = await harness.sync()
            #expect(result.outcome == .success, "\(result.error ?? "")")
            let releases = try harness.store.repositoryData(SyncHarness.name).releases
            #expect(releases.first { $0.id == 424_242 }?.commitSha == nil)
            #expect(releases.first { $0.id == 434_343 }?.commitSha == nil)
            let paths = harness.github.requestLog.map(\.pathAndQuery)
            #expect(paths.contains { $0.hasSuffix("/git/ref/tags/v-ghost") })
            #expect(!paths.contains { $0.contains("/git/ref/tags/v-draft") })
            // target_commitish ("main") is never taken as the commit.
            #expect(!releases.contains { $0.commitSha == "main" })
        }
    }

    @Test("an issue closed on GitHub is updated in the store with a new seq")
    func updatedIssueIsRestored() async throws {
        try await SyncHarness.run { (harness) async throws in
            #expect(await harness.sync().outcome == .success)
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            let open = try #require(simulated.issues.first { $0.state == "open" && !$0.isPullRequest })
            let before = try harness.store.maxSequence(repository: SyncHarness.name)
            harness.github.update(SyncHarness.name) { repository in
                let index = repository.issues.firstIndex { $0.number == open.number }!
                repository.issues[index].state = "closed"
                repository.issues[index].stateReason = "completed"
                repository.issues[index].closedAt = SyncHarness.now
                repository.issues[index].updatedAt = SyncHarness.now
            }
            let result = await harness.sync()
            #expect(result.outcome == .success, "\(result.error ?? "")")
            #expect(result.entities["issues"]?.stored == 1)
            let stored = try harness.store.issues(repository: SyncHarness.name, afterSequence: before, limit: 10)
            #expect(stored.map(\.number) == [open.number])
            #expect(stored.first?.state == "closed")
            #expect(stored.first?.closedAt == SyncHarness.now)
        }
    }

    @Test("the generated repository exercises every entity")
    func fixtureHasEveryEntity() throws {
        let repository = SyncHarness.generated()
        #expect(!repository.releases.isEmpty)
        #expect(repository.issues.contains { $0.isPullRequest })
        #expect(repository.issues.contains { !$0.isPullRequest })
        #expect(!repository.runs.isEmpty)
        #expect(!repository.deployments.isEmpty)
        #expect(repository.commits.contains { $0.parents.count > 1 })
    }
}
