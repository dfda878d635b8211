import Dora
import Foundation
import GitHubSimulator
import Sync
import Testing
import TwinConfig

@testable import TwinStore

/// What spec v1.2's deployment selection needs from a sync: the tags (to tell a tag-triggered run from a branch
/// run) and every status of every deployment, without extra requests when nothing changed.
@Suite("Syncing what the deployment selection reads")
struct SyncDeployingRunsTests {
    static func tagPushRepository() -> SimulatedRepository {
        SimulatedRepository.generated(
            owner: "octo", name: "app", seed: 11, commits: 450, now: SyncHarness.now, deployStyle: .onTagPush)
    }

    static func settings(_ source: DoraDefinitions.DeploymentSource) -> RepositorySettings {
        var settings = SyncHarness.settings()
        settings.definitions.deploymentSource = source
        return settings
    }

    @Test("source workflow syncs the tags; unchanged, the tags listing is a 304 that costs no rate-limit point")
    func workflowSourceSyncsTagsWithETags() async throws {
        try await SyncHarness.run([Self.tagPushRepository()]) { (harness) async throws in
            let settings = Self.settings(.workflow(names: ["Deploy"]))
            let first = await harness.sync(settings)
            #expect(first.outcome == .success, "\(first.error ?? "")")
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            let data = try harness.store.repositoryData(SyncHarness.name)
            #expect(Set(data.tags.map(\.name)) == Set(simulated.tags.map(\.name)))
            // The tag-triggered runs count: the engine finds deployments from runs whose head_branch is a tag.
            let timeline = try DoraEngine.timeline(for: data, definitions: settings.definitions, asOf: SyncHarness.now)
            let tagNames = Set(simulated.tags.map(\.name))
            #expect(!timeline.deployments.isEmpty)
            // Brute force over the simulator's runs: completed Deploy runs on a tag (all tags are on main here).
            let counted = simulated.runs.filter {
                $0.name == "Deploy" && $0.status == "completed" && tagNames.contains($0.headBranch ?? "")
                    && $0.updatedAt < SyncHarness.now
            }
            #expect(timeline.deployments.count == counted.filter { $0.conclusion == "success" }.count)
            #expect(timeline.failedAttempts.count == counted.filter { ["failure", "timed_out"].contains($0.conclusion) }.count)
            let runsByID = Dictionary(uniqueKeysWithValues: data.workflowRuns.map { ($0.id, $0) })
            for deployment in timeline.deployments {
                guard case .workflowRun(let id) = deployment.origin else { Issue.record("not a run"); continue }
                #expect(tagNames.contains(runsByID[id]?.headBranch ?? ""))
            }

            let logged = harness.github.requestLog.count
            let remaining = harness.github.rateLimitRemaining
            let second = await harness.sync(settings)
            #expect(second.outcome == .success, "\(second.error ?? "")")
            let tagRequests = harness.github.requestLog.dropFirst(logged).filter { $0.pathAndQuery.contains("/tags?") }
            #expect(!tagRequests.isEmpty)
            #expect(tagRequests.allSatisfy { $0.conditional && $0.status == 304 && !$0.countedAgainstLimit })
            #expect(Set(second.requests.keys) == ["304"], "\(second.requests)")
            #expect(harness.github.rateLimitRemaining == remaining)
        }
    }

    @Test("every status of every deployment is stored; superseded deployments count at their first success")
    func everyDeploymentStatusIsStored() async throws {
        try await SyncHarness.run([Self.tagPushRepository()]) { (harness) async throws in
            let settings = Self.settings(.deployments(environmentPattern: "^prod$"))
            let result = await harness.sync(settings)
            #expect(result.outcome == .success, "\(result.error ?? "")")
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            let data = try harness.store.repositoryData(SyncHarness.name)
            for deployment in simulated.deployments {
                let stored = try #require(data.deployments.first { $0.id == Int64(deployment.id) })
                #expect(stored.statuses.map(\.id) == deployment.statuses.map { Int64($0.id) })
                #expect(stored.statuses.map(\.state) == deployment.statuses.map(\.state))
            }
            // Brute force over the simulator's deployments: succeeded when any status is success.
            let prod = simulated.deployments.filter { $0.environment == "prod" }
            let succeeded = prod.filter { $0.statuses.contains { $0.state == "success" } }
            let failed = prod.filter { d in
                !d.statuses.contains { $0.state == "success" } && d.statuses.contains { ["failure", "error"].contains($0.state) }
            }
            #expect(succeeded.contains { $0.statuses.last?.state == "inactive" })
            let timeline = try DoraEngine.timeline(for: data, definitions: settings.definitions, asOf: SyncHarness.now)
            #expect(timeline.deployments.count == succeeded.count)
            #expect(timeline.failedAttempts.count == failed.count)
        }
    }

    @Test("a store that kept only latest states fetches each deployment's statuses once, then only re-checks with ETags")
    func upgradedStoreRefetchesStatusesOnce() async throws {
        try await SyncHarness.run([Self.tagPushRepository()]) { (harness) async throws in
            let settings = Self.settings(.deployments(environmentPattern: "^prod$"))
            #expect(await harness.sync(settings).outcome == .success)
            // As the v2 migration leaves a v1 store: no statuses kept, none synced, the old ETags still cached.
            try harness.store.write { db in
                try db.execute(sql: "DELETE FROM deployment_statuses")
                try db.execute(sql: "UPDATE deployments SET statuses_synced = 0")
            }
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            var logged = harness.github.requestLog.count
            #expect(await harness.sync(settings).outcome == .success)
            let refetched = harness.github.requestLog.dropFirst(logged).filter { $0.pathAndQuery.contains("/statuses") }
            #expect(refetched.count == simulated.deployments.count)
            #expect(refetched.allSatisfy { !$0.conditional && $0.status == 200 })
            let data = try harness.store.repositoryData(SyncHarness.name)
            #expect(data.deployments.allSatisfy { !$0.statuses.isEmpty })

            logged = harness.github.requestLog.count
            #expect(await harness.sync(settings).outcome == .success)
            let rechecked = harness.github.requestLog.dropFirst(logged).filter { $0.pathAndQuery.contains("/statuses") }
            let unsettled = simulated.deployments.filter { !$0.statuses.contains { $0.state == "success" } }
            #expect(rechecked.count == unsettled.count)
            #expect(rechecked.allSatisfy { $0.conditional && $0.status == 304 })
        }
    }
}
