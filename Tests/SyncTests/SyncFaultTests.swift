import Foundation
import GitHubSimulator
import Sync
import Testing
import TwinStore

@Suite("Syncing through faults")
struct SyncFaultTests {
    struct FaultCase: Sendable, CustomStringConvertible {
        var name: String
        var faults: [SimulatedFault]
        /// Outcomes acceptable for the faulty sync (retried faults end in success).
        var outcomes: Set<SyncOutcome>
        var errorMentions: String?
        var maxRetries = 4
        var requestTimeout: Duration = .seconds(30)
        var description: String { name }
    }

    static let cases: [FaultCase] = [
        FaultCase(name: "5xx burst", faults: [.status(502, pathContains: "/commits", skip: 1, count: 3)], outcomes: [.success]),
        FaultCase(
            name: "secondary rate limit with retry-after",
            faults: [.secondaryRateLimit(retryAfter: 2, pathContains: "/issues", count: 2)], outcomes: [.success]),
        FaultCase(name: "429 without retry-after", faults: [.status(429, pathContains: "/tags", count: 1)], outcomes: [.success]),
        FaultCase(
            name: "403 secondary rate limit without retry-after",
            faults: [.secondaryRateLimit(retryAfter: nil, pathContains: "/releases", count: 2)], outcomes: [.success]),
        FaultCase(
            // A deadline with room for an unfaulted answer on a machine busy with the other suites (1 s was not).
            name: "timeouts (slow answers past the deadline), retried", faults: [.slow(seconds: 8, pathContains: "/tags", count: 2)],
            outcomes: [.success], requestTimeout: .seconds(3)),
        FaultCase(
            name: "timeouts beyond the retries", faults: [.slow(seconds: 3, pathContains: "/issues", count: 5)],
            outcomes: [.failed], maxRetries: 1, requestTimeout: .seconds(1)),
        FaultCase(
            name: "primary exhaustion, short reset",
            faults: [.primaryExhaustion(resetIn: 30, pathContains: "/commits", skip: 2, count: 1)], outcomes: [.success]),
        FaultCase(
            name: "primary exhaustion, long reset",
            faults: [.primaryExhaustion(resetIn: 7200, pathContains: "/commits", skip: 2, count: 1)],
            outcomes: [.rateLimited]),
        FaultCase(
            name: "401 mid-sync", faults: [.unauthorized(pathContains: "/issues", skip: 1, count: 1)], outcomes: [.failed],
            errorMentions: "GITHUB_TOKEN"),
        FaultCase(name: "malformed JSON", faults: [.malformedJSON(pathContains: "/actions/runs", count: 1)], outcomes: [.failed, .success]),
        FaultCase(name: "truncated body", faults: [.truncatedBody(pathContains: "/commits", skip: 3, count: 1)], outcomes: [.failed, .success]),
        FaultCase(
            name: "connection reset", faults: [.connectionReset(pathContains: "/releases", count: 1)], outcomes: [.failed, .success]),
        FaultCase(
            name: "5xx beyond the retries", faults: [.status(500, pathContains: "/commits", skip: 2, count: 10)],
            outcomes: [.failed], maxRetries: 1),
    ]

    @Test("each fault ends in a complete store or a clean stop that the next sync completes", arguments: cases)
    func faultThenResume(_ fault: FaultCase) async throws {
        try await SyncHarness.run { (harness) async throws in
            for item in fault.faults { harness.github.inject(item) }
            let first = await harness.sync(
                client: harness.client(maxRetries: fault.maxRetries, maxRateLimitWait: .seconds(900), requestTimeout: fault.requestTimeout))
            #expect(fault.outcomes.contains(first.outcome), "\(fault.name): \(first.outcome) \(first.error ?? "")")
            if let mention = fault.errorMentions {
                #expect(first.error?.contains(mention) == true, "\(first.error ?? "no error")")
            }
            if first.outcome != .success {
                #expect(first.error != nil || first.outcome == .cancelled)
            }
            harness.github.clearFaults()
            harness.github.resetRateLimit()
            let second = await harness.sync()
            #expect(second.outcome == .success, "\(second.error ?? "")")
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            #expect(try harness.counts() == SyncHarness.expected(simulated))
            #expect(try harness.store.syncHealth(SyncHarness.name).outcomes.values.reduce(0, +) == 2)
        }
    }

    @Test("a sync interrupted mid-walk and resumed ends identical to an uninterrupted one")
    func resumedEqualsUninterrupted() async throws {
        try await SyncHarness.run { (harness) async throws in
            let reference = try harness.otherStore("reference.sqlite")
            #expect(await harness.sync(store: reference).outcome == .success)

            harness.github.inject(.unauthorized(pathContains: "/commits", skip: 2, count: 1))
            let interrupted = await harness.sync()
            #expect(interrupted.outcome == .failed)
            #expect(try harness.store.cursor(repository: SyncHarness.name, stream: "commits") != nil)
            let partial = try harness.store.entityCounts(SyncHarness.name)["commits"] ?? 0
            #expect(partial >= 200)
            // The branch moves before the resumed sync: the unfinished walk completes first, then the new head.
            harness.github.update(SyncHarness.name) { repository in
                let head = repository.commits.last!
                repository.commits.append(
                    SimCommit(sha: String(repeating: "c", count: 40), parents: [head.sha], authorDate: SyncHarness.now))
            }
            #expect(await harness.sync().outcome == .success)
            #expect(await harness.sync(store: reference).outcome == .success)

            let resumed = try harness.store.repositoryData(SyncHarness.name)
            let uninterrupted = try reference.repositoryData(SyncHarness.name)
            #expect(Set(resumed.commits) == Set(uninterrupted.commits))
            #expect(Set(resumed.tags) == Set(uninterrupted.tags))
            #expect(Set(resumed.releases) == Set(uninterrupted.releases))
            #expect(Set(resumed.issues) == Set(uninterrupted.issues))
            #expect(Set(resumed.workflowRuns) == Set(uninterrupted.workflowRuns))
            #expect(try harness.store.cursor(repository: SyncHarness.name, stream: "commits").map { !$0.contains("nextURL") } ?? true)
        }
    }

    @Test("a rate-limited stop keeps the committed pages and a resumable cursor")
    func rateLimitedStopIsResumable() async throws {
        try await SyncHarness.run { (harness) async throws in
            harness.github.inject(.primaryExhaustion(resetIn: 7200, pathContains: "/commits", skip: 2, count: 1))
            let result = await harness.sync(client: harness.client(maxRateLimitWait: .seconds(60)))
            #expect(result.outcome == .rateLimited)
            #expect(try harness.store.cursor(repository: SyncHarness.name, stream: "commits")?.contains("nextURL") == true)
            #expect(try harness.store.entityCounts(SyncHarness.name)["commits"] == 200)
            #expect(try harness.store.syncHealth(SyncHarness.name).outcomes == ["rate_limited": 1])
        }
    }

    @Test("a deleted repository fails with a clear not-found error")
    func deletedRepositoryFails() async throws {
        try await SyncHarness.run { (harness) async throws in
            harness.github.delete(SyncHarness.name)
            let result = await harness.sync()
            #expect(result.outcome == .failed)
            let error = try #require(result.error)
            #expect(error.contains("404") || error.lowercased().contains("not found"), "\(error)")
        }
    }

    @Test("a renamed repository is followed and the rename reported")
    func renamedRepositoryIsFollowed() async throws {
        try await SyncHarness.run { (harness) async throws in
            harness.github.rename(SyncHarness.name, to: "octo/renamed")
            let result = await harness.sync()
            #expect(result.outcome == .success, "\(result.error ?? "")")
            #expect(!result.warnings.isEmpty)
            let simulated = try #require(harness.github.repository("octo/renamed"))
            #expect(try harness.counts() == SyncHarness.expected(simulated))
        }
    }

    @Test("a cancelled sync stops cleanly with the cancelled outcome")
    func cancelledSyncStops() async throws {
        try await SyncHarness.run { (harness) async throws in
            let task = Task { await harness.sync() }
            task.cancel()
            let result = await task.value
            #expect(result.outcome == .cancelled)
            #expect(await harness.sync().outcome == .success)
        }
    }
}
