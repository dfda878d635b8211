import Dora
import Foundation
import GitHubSimulator
import Logging
import Testing
import TwinStore

#if canImport(Glibc)
    import Glibc
#endif

/// Real `devops-twin` processes killed (SIGKILL) or stopped (SIGTERM) in the middle of a sync.
@Suite(.serialized) struct ProcessFaultEndToEndTests {
    static let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!

    /// What the store holds for a repository, as sets of natural keys, plus whether any key repeats.
    struct StoreContents: Equatable {
        var commits: Set<String>
        var releases: Set<Int64>
        var tags: Set<String>
        var issues: Set<Int>
        var runs: Set<Int64>
        var duplicates: Bool

        init(store: TwinStore, repository: String) throws {
            let data = try store.repositoryData(repository)
            commits = Set(data.commits.map(\.sha))
            releases = Set(data.releases.map(\.id))
            tags = Set(data.tags.map(\.name))
            issues = Set(data.issues.map(\.number))
            runs = Set(data.workflowRuns.map(\.id))
            duplicates = commits.count != data.commits.count || releases.count != data.releases.count
                || tags.count != data.tags.count || issues.count != data.issues.count || runs.count != data.workflowRuns.count
        }

        init(simulated repository: SimulatedRepository) {
            commits = Set(repository.commits.map(\.sha))
            releases = Set(repository.releases.map { Int64($0.id) })
            tags = Set(repository.tags.map(\.name))
            issues = Set(repository.issues.map(\.number))
            runs = Set(repository.runs.map { Int64($0.id) })
            duplicates = false
        }

        func isSubset(of other: StoreContents) -> Bool {
            commits.isSubset(of: other.commits) && releases.isSubset(of: other.releases) && tags.isSubset(of: other.tags)
                && issues.isSubset(of: other.issues) && runs.isSubset(of: other.runs)
        }

        var total: Int { commits.count + releases.count + tags.count + issues.count + runs.count }
    }

    @Test func sigkillAtRandomPointsNeverCorruptsTheStoreOrLosesCommittedPages() async throws {
        let repository = SimulatedRepository.generated(owner: "acme", name: "big", seed: 7, commits: 6000, now: Self.now)
        let github = SimulatedGitHub(repositories: [repository])
        // Every request a little slow, so a kill after a request finds the next one in flight.
        github.inject(SimulatedFault(kind: .slow(seconds: 0.02), count: 1_000_000))
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let config = try workspace.writeConfig(apiURL: simulator.baseURL, repositories: [#"{"name": "acme/big"}"#])
        let truth = StoreContents(simulated: repository)
        let trials = Int(ProcessInfo.processInfo.environment["DEVOPS_TWIN_KILL_TRIALS"] ?? "") ?? 12
        var generator = SplitMix64(seed: 2026)
        var previousTotal = 0
        for trial in 0..<trials {
            let before = github.requestLog.count
            let sync = try TwinProcess(["sync", "--config", config], in: workspace.url)
            // A random point of the page walk, counted in the simulator's request log: after 2-9 requests of
            // this sync, while the next is in flight. Every kill lands mid-sync by construction.
            let requests = 2 + Int(generator.next() % 8)
            let reached = await eventually { github.requestLog.count >= before + requests || !sync.process.isRunning }
            #expect(reached && sync.process.isRunning, "trial \(trial): the sync ended before its \(requests)th request")
            sync.signal(SIGKILL)
            await sync.waitForExit(timeout: 30)
            let store = try TwinStore(path: workspace.storePath, logger: Logger(label: "check"))
            let contents = try StoreContents(store: store, repository: "acme/big")
            #expect(!contents.duplicates, "trial \(trial): duplicate rows")
            #expect(contents.isSubset(of: truth), "trial \(trial): rows GitHub never had")
            #expect(contents.total >= previousTotal, "trial \(trial): committed rows were lost (\(contents.total) < \(previousTotal))")
            previousTotal = contents.total
        }
        github.clearFaults()
        let final = try await TwinProcess.run(["sync", "--config", config], in: workspace.url)
        #expect(final.status == 0, "\(final.stderr)")
        let store = try TwinStore(path: workspace.storePath, logger: Logger(label: "check"))
        let contents = try StoreContents(store: store, repository: "acme/big")
        #expect(contents == truth)
        await simulator.stop()
    }

    @Test func sigtermStopsTheDaemonGracefullyMidSyncAndTheNextSyncResumes() async throws {
        let repository = SimulatedRepository.generated(owner: "acme", name: "svc", seed: 9, commits: 4000, now: Self.now)
        let github = SimulatedGitHub(repositories: [repository])
        github.inject(SimulatedFault(kind: .slow(seconds: 0.05), count: 1_000_000))
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let config = try workspace.writeConfig(apiURL: simulator.baseURL, repositories: [#"{"name": "acme/svc"}"#])
        let daemon = try TwinProcess(["run", "--config", config], in: workspace.url)
        // SIGTERM once the sync is under way: five requests reached the simulator (its request log), with
        // dozens of pages still to go.
        #expect(await eventually { github.requestLog.count >= 5 }, "the daemon's sync never started: \(daemon.stderr)")
        let stoppedAt = Date()
        daemon.signal(SIGTERM)
        let status = await daemon.waitForExit(timeout: 30)
        let stopSeconds = Date().timeIntervalSince(stoppedAt)
        #expect(status == 0, "\(daemon.stderr)")
        #expect(stopSeconds < 10, "graceful shutdown took \(stopSeconds) s")
        let store = try TwinStore(path: workspace.storePath, logger: Logger(label: "check"))
        let partial = try StoreContents(store: store, repository: "acme/svc")
        #expect(!partial.duplicates)
        #expect(partial.commits.count < repository.commits.count, "the sync was stopped mid-way")
        let health = try store.syncHealth("acme/svc")
        #expect(health.outcomes["cancelled"] == 1, "the interrupted sync is recorded as cancelled: \(health.outcomes)")

        github.clearFaults()
        let resumed = try await TwinProcess.run(["sync", "--config", config], in: workspace.url)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try StoreContents(store: store, repository: "acme/svc") == StoreContents(simulated: repository))
        await simulator.stop()
    }
}
