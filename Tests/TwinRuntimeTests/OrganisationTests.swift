import AsyncHTTPClient
import Dora
import Exporter
import Foundation
import GitHubSimulator
import Logging
import Sync
import Synchronization
import Testing
import TwinConfig
import TwinStore
import Webhooks

@testable import TwinRuntime

/// A whole organisation through a GitHub App: discovery, installation tokens, the budget planner and progressive
/// history, against the simulated GitHub on loopback and a real store.
@Suite("Organisations through a GitHub App", .serialized)
struct OrganisationTests {
    static let logger = Logger(label: "test")

    static func daemon(_ harness: OrganisationHarness) -> TwinDaemon {
        TwinDaemon(configuration: harness.configuration, store: harness.store, build: BuildInfo(version: "t", revision: "r"), logger: logger)
    }

    static func repositories(in snapshot: MetricsSnapshot?) -> Set<String> {
        Set(snapshot?.family("devops_twin_sync_last_attempt_timestamp_seconds")?.samples.compactMap { $0.label("repository") } ?? [])
    }

    @Test("discovery keeps what the filters admit, follows a removal, and an unchanged organisation costs no point")
    func discoveryFiltersAndRemoval() async throws {
        let repositories = ["api", "web", "legacy-billing", "old", "forked"].map { OrganisationHarness.repository($0) }
        try await OrganisationHarness.run(repositories) { harness, httpClient in
            harness.github.setArchived("acme/old", true)
            harness.github.setFork("acme/forked", true)
            let daemon = Self.daemon(harness)
            let cycle = try daemon.makeCycle(httpClient: httpClient)
            #expect(await cycle.run() == .success)
            #expect(daemon.catalogue.current.repositories.map(\.name) == ["acme/api", "acme/web"])
            #expect(daemon.catalogue.current.groups.map(\.repositories) == [["acme/web"]])
            #expect(Self.repositories(in: daemon.holder.rendered?.snapshot) == ["acme/api", "acme/web"])
            // Every request of the sync went through the installation (JWT only for the App's own endpoints).
            let log = harness.github.requestLog
            #expect(log.filter { $0.pathAndQuery.hasPrefix("/repos/") }.allSatisfy { $0.credential == "installation:\(OrganisationHarness.installationID)" })
            #expect(log.contains { $0.pathAndQuery.hasPrefix("/installation/repositories") })
            #expect(harness.github.installationTokensIssued == 1)

            // Nothing changed: the whole cycle (discovery included) spends no rate-limit point.
            let before = harness.github.rateLimitRemaining(credential: .installation(OrganisationHarness.installationID))
            #expect(await cycle.run() == .success)
            #expect(harness.github.rateLimitRemaining(credential: .installation(OrganisationHarness.installationID)) == before)

            // A repository deleted on GitHub leaves the configuration in force and /metrics; its data stays stored.
            harness.github.delete("acme/web")
            #expect(await cycle.run() == .success)
            #expect(daemon.catalogue.current.repositories.map(\.name) == ["acme/api"])
            #expect(daemon.catalogue.current.groups.isEmpty)
            #expect(Self.repositories(in: daemon.holder.rendered?.snapshot) == ["acme/api"])
            #expect((try harness.store.entityCounts("acme/web")["commits"] ?? 0) > 0)
            // Until a prune (`devops-twin prune --yes`) removes it, and only it.
            #expect(try harness.store.storedRepositories() == ["acme/api", "acme/web"])
            try harness.store.remove(repository: "acme/web")
            #expect(try harness.store.storedRepositories() == ["acme/api"])
            #expect(try harness.store.storedRows(of: "acme/web").isEmpty)
            #expect(try harness.store.httpCacheEntry(url: "/repos/acme/web") == nil)
            #expect((try harness.store.entityCounts("acme/api")["commits"] ?? 0) > 0)
            // A restart serves the last discovery before asking GitHub.
            #expect(RepositoryCatalogue(configuration: harness.configuration, store: harness.store).current.repositories.map(\.name) == ["acme/api"])
        }
    }

    @Test("an installation token that expires in the middle of a sync is replaced and the sync completes")
    func tokenExpiresMidSync() async throws {
        try await OrganisationHarness.run([OrganisationHarness.repository("api", commits: 400)]) { harness, httpClient in
            let session = SyncSession(configuration: harness.configuration, store: harness.store, httpClient: httpClient, logger: Self.logger)
            let expired = Mutex(false)
            let github = harness.github
            let prepared = await session.prepare(progress: { progress in
                // After the second page of commits, every installation token is revoked.
                guard progress.entity == "commits", progress.pages == 2 else { return }
                let first = expired.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { github.expireInstallationTokens() }
            })
            let summary = await prepared.engine.syncAll(prepared.configuration.repositories)
            #expect(summary.repositories.map(\.outcome) == [.success])
            #expect(expired.withLock { $0 })
            #expect(harness.github.installationTokensIssued == 2)
            let refused = harness.github.requestLog.filter { $0.status == 401 }
            #expect(refused.count == 1)
            #expect(summary.repositories.first?.requests["401"] == 1)
            let commits = try harness.store.entityCounts("acme/api")["commits"]
            #expect(commits == 400)
        }
    }

    @Test("with too little budget the cycle stops at the reserve; the next cycles resume the waiting first, shallow passes before any deepening")
    func budgetPlanner() async throws {
        let names = (1...6).map { "svc-\($0)" }
        // Some history older than the shallow horizon, so every repository needs a deepening pass too.
        let repositories = names.map { OrganisationHarness.repository($0, commits: 150) }
        try await OrganisationHarness.run(repositories, rateLimit: 30, sync: #", "shallowHorizon": "30d", "budgetReserve": 5"#) { harness, httpClient in
            let daemon = Self.daemon(harness)
            let cycle = try daemon.makeCycle(httpClient: httpClient)
            let installation = SimulatedCredential.installation(OrganisationHarness.installationID)
            var firstCovered: [String: Int] = [:]
            var cycles = 0
            var sawWaiting = false
            while cycles < 40 {
                cycles += 1
                let outcome = await cycle.run()
                let coverage = try names.map { try harness.store.historyCoverage(repository: "acme/\($0)") }
                for (name, state) in zip(names, coverage) where state != .none && firstCovered[name] == nil {
                    firstCovered[name] = cycles
                }
                // Deepening waits until every repository has numbers.
                if coverage.contains(.none) { #expect(!coverage.contains(.complete), "cycle \(cycles): \(coverage)") }
                // The reserve holds (a job in flight may take one more request each). The floor is the reserve (5),
                // but never more than a tenth of the limit (SyncPlanner): 3 of this limit of 30.
                let floor = min(5, 30 / 10)
                #expect(harness.github.rateLimitRemaining(credential: installation) >= floor - 2)
                let budget = try #require(daemon.budgets.budgets.first)
                #expect(budget.credential == "acme@app-\(OrganisationHarness.appID)")
                if budget.waiting > 0 {
                    sawWaiting = true
                    guard case .rateLimited = outcome else {
                        Issue.record("cycle \(cycles) left \(budget.waiting) waiting but ended \(outcome)")
                        return
                    }
                    let snapshot = try #require(daemon.holder.rendered?.snapshot)
                    #expect(snapshot.family("devops_twin_sync_repositories_waiting_on_budget")?.samples.first?.value == Double(budget.waiting))
                }
                if coverage.allSatisfy({ $0 == .complete }) { break }
                harness.github.resetRateLimit()
            }
            #expect(sawWaiting)
            #expect(firstCovered.count == names.count)
            // Every repository had numbers before any history was deepened, and nobody waited more than the
            // cycles the budget needs for the first passes of all of them.
            let spread = (firstCovered.values.max() ?? 0) - (firstCovered.values.min() ?? 0)
            #expect(spread <= names.count)
            let summary = try #require(daemon.budgets.budgets.first)
            #expect(summary.coverage["complete"] == names.count)
            #expect(summary.estimatedCompletion == 0)
            // The store ends identical to a whole sync of each repository.
            for name in names {
                let whole = try #require(repositories.first { $0.name == name })
                #expect(try harness.store.entityCounts("acme/\(name)")["commits"] == whole.commits.count)
            }
        }
    }

    @Test("an installation_repositories delivery discovers and syncs the repository it added at once")
    func installationEventRediscovers() async throws {
        try await OrganisationHarness.run(
            [OrganisationHarness.repository("api")], extra: #", "webhooks": {"listenAddress": "127.0.0.1:0", "coalesceWindow": "0s"}"#,
            environment: ["DEVOPS_TWIN_WEBHOOK_SECRET": "org-secret"]
        ) { harness, httpClient in
            let daemon = Self.daemon(harness)
            let cycle = try daemon.makeCycle(httpClient: httpClient)
            #expect(await cycle.run() == .success)
            let parts = try #require(try daemon.makeWebhookParts(cycle: cycle))
            harness.github.add([OrganisationHarness.repository("payments")])
            let body = Array(
                #"{"action": "added", "installation": {"id": 70}, "repository_selection": "all", "repositories_added": [{"id": 9, "name": "payments", "full_name": "acme/payments"}], "repositories_removed": []}"#
                    .utf8)
            let answer = parts.receiver.receive(
                event: "installation_repositories", delivery: "install-1", signature: WebhookSender.signature(body, secret: "org-secret"),
                body: body)
            #expect(answer.status < 300)
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, Self.repositories(in: daemon.holder.rendered?.snapshot).count < 2 {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(daemon.catalogue.current.repositories.map(\.name) == ["acme/api", "acme/payments"])
            #expect(Self.repositories(in: daemon.holder.rendered?.snapshot) == ["acme/api", "acme/payments"])
            #expect((try harness.store.entityCounts("acme/payments")["commits"] ?? 0) > 0)
        }
    }
}
