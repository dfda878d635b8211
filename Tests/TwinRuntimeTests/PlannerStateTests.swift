import Exporter
import Foundation
import GitHubSimulator
import Logging
import Testing
import TwinStore

@testable import Sync
@testable import TwinRuntime

/// The budget planner's state is kept in the store (`planner_state`): a restarted daemon serves the budget gauges and
/// the completion estimate of the last cycle at once, before its own first cycle ends.
@Suite("Planner state in the store", .serialized)
struct PlannerStateTests {
    @Test("a restarted daemon serves the budget gauges and the completion estimate from the store at once")
    func restartServesBudgetsAtOnce() async throws {
        let names = (1...6).map { "svc-\($0)" }
        let repositories = names.map { OrganisationHarness.repository($0, commits: 150) }
        try await OrganisationHarness.run(repositories, rateLimit: 30, sync: #", "shallowHorizon": "30d", "budgetReserve": 5"#) { harness, httpClient in
            let build = BuildInfo(version: "t", revision: "r")
            let logger = Logger(label: "test")
            // Nothing kept yet: a daemon has no budget gauges until its first cycle ends.
            let fresh = TwinDaemon(configuration: harness.configuration, store: harness.store, build: build, logger: logger)
            fresh.refresher.refresh()
            #expect(fresh.holder.rendered?.snapshot.family("devops_twin_sync_estimated_completion_seconds")?.samples.isEmpty ?? true)

            let first = TwinDaemon(configuration: harness.configuration, store: harness.store, build: build, logger: logger)
            let cycle = try first.makeCycle(httpClient: httpClient)
            _ = await cycle.run()
            let learned = cycle.session.statistics.saved
            #expect(learned.shallowCount > 0)
            let before = try #require(first.budgets.budgets.first)
            let estimate = try #require(before.estimatedCompletion)
            #expect(before.waiting > 0)
            #expect(estimate > 0)

            // The restart: the store opened again from its file, a new daemon, no cycle run.
            let reopened = try TwinStore(path: harness.configuration.store.path, logger: logger)
            let second = TwinDaemon(configuration: harness.configuration, store: reopened, build: build, logger: logger)
            second.refresher.refresh()
            let served = try #require(second.budgets.budgets.first)
            #expect(served.credential == before.credential)
            #expect(served.planned == before.planned)
            #expect(served.spent == before.spent)
            #expect(served.waiting == before.waiting)
            #expect(served.coverage == before.coverage)
            #expect(served.reset == before.reset)
            // The estimate, less the time since the cycle ended.
            let remaining = try #require(served.estimatedCompletion)
            #expect(remaining <= estimate && remaining > 0)
            let snapshot = try #require(second.holder.rendered?.snapshot)
            #expect(snapshot.family("devops_twin_sync_estimated_completion_seconds")?.samples.first?.value == remaining)
            #expect(snapshot.family("devops_twin_sync_repositories_waiting_on_budget")?.samples.first?.value == Double(before.waiting))

            // And the planner's statistics: the restarted session plans with what the last one learned.
            let session = SyncSession(configuration: harness.configuration, store: reopened, httpClient: httpClient, logger: logger)
            #expect(session.statistics.saved == learned)
        }
    }
}
