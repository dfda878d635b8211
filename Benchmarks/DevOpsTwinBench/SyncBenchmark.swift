import AsyncHTTPClient
import Dora
import Foundation
import GitHubAPI
import GitHubSimulator
import Logging
import Sync
import TwinConfig
import TwinStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sync benchmark, against the simulator on loopback and a real store file:
/// 1. requests of a full sync of the flask history divided by the minimum (one request per 100 items of each
///    list endpoint, plus one for the repository) — target <= 1.10;
/// 2. rate-limit points spent by a second, unchanged sync — target 0;
/// 2b. requests of a progressive sync (shallow pass, then deepening) of ripgrep's and flask's histories against
///    the minimum counted from their content, stream by stream (`SyncRequestFigures`) — target <= 1.03;
/// 3. wall time, peak RSS and items/s of a full sync of a generated repository (default 100,000 commits).
///
/// Arguments: `--commits N` (size of the generated repository), `--skip-large`, `--requests-only` (1, 2 and 2b).
enum SyncBenchmark {
    static func run(arguments: [String]) async throws {
        var commits = 100_000
        if let index = arguments.firstIndex(of: "--commits"), index + 1 < arguments.count, let n = Int(arguments[index + 1]) {
            commits = n
        }
        let logger = Logger(label: "sync-benchmark")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sync-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }

        // 1 + 2: flask history.
        let history = packageRoot().appendingPathComponent("Tests/Fixtures/histories/pallets-flask-history.json")
        let flask = try SimulatedRepository.fromHistory(fileURL: history, owner: "pallets", name: "flask", seed: 1)
        let flaskRun = try await fullSync(flask, folder: folder.appendingPathComponent("flask"), logger: logger)
        let minimum = minimumRequests(flask)
        print("sync.flask.requests \(flaskRun.firstRequests)")
        print("sync.flask.minimum_requests \(minimum)")
        print(String(format: "sync.flask.request_ratio %.3f (target <= 1.10)", Double(flaskRun.firstRequests) / Double(minimum)))
        print("sync.flask.second_sync_requests \(flaskRun.secondRequests) by status \(flaskRun.secondByStatus)")
        print("sync.flask.second_sync_rate_limit_points \(flaskRun.secondPoints) (target 0)")

        // 2b: progressive syncs of recorded histories.
        for (file, owner, name) in [("burntsushi-ripgrep-history.json", "BurntSushi", "ripgrep"), ("pallets-flask-history.json", "pallets", "flask")] {
            let url = packageRoot().appendingPathComponent("Tests/Fixtures/histories/\(file)")
            let repository = try SimulatedRepository.fromHistory(fileURL: url, owner: owner, name: name, seed: 1)
            let figures = try await SyncRequestFigures.progressive(
                repository, folder: folder.appendingPathComponent("\(name)-progressive"), logger: logger)
            SyncRequestFigures.report(name, figures, target: "<= 1.03")
        }
        if arguments.contains("--requests-only") { return }

        // 3: a large generated repository.
        if !arguments.contains("--skip-large") {
            let large = SimulatedRepository.generated(
                owner: "bench", name: "large", seed: 42, commits: commits, now: Date(timeIntervalSince1970: 1_767_225_600))
            let largeRun = try await fullSync(large, folder: folder.appendingPathComponent("large"), logger: logger)
            print("sync.large.commits \(commits)")
            print("sync.large.items \(largeRun.items)")
            print(String(format: "sync.large.wall_seconds %.2f", largeRun.seconds))
            print(String(format: "sync.large.items_per_second %.0f", Double(largeRun.items) / largeRun.seconds))
            print("sync.large.requests \(largeRun.firstRequests)")
        }
        // Store alone: pages of 100 commits applied one transaction each, as the sync does.
        let storeRate = try storeThroughput(commits: commits, folder: folder.appendingPathComponent("store-only"), logger: logger)
        print(String(format: "sync.store.commits_per_second %.0f", storeRate))
        print(String(format: "sync.peak_rss_mib %.1f", peakRSSMebibytes()))
    }

    static func storeThroughput(commits: Int, folder: URL, logger: Logger) throws -> Double {
        let store = try TwinStore(path: folder.appendingPathComponent("store.sqlite").path, logger: logger)
        let base = Date(timeIntervalSince1970: 1_600_000_000)
        let clock = ContinuousClock()
        let start = clock.now
        var parent: String?
        for pageStart in stride(from: 0, to: commits, by: 100) {
            var batch = StoreBatch()
            for i in pageStart..<min(pageStart + 100, commits) {
                let sha = String(format: "%040x", i)
                batch.commits.append(
                    StoredCommit(
                        repository: "bench/store", sha: sha, parents: parent.map { [$0] } ?? [], authorName: "A",
                        authorEmail: "a@example.com", committerName: "C", committerEmail: "c@example.com",
                        authoredAt: base.addingTimeInterval(Double(i)), committedAt: base.addingTimeInterval(Double(i)),
                        message: "Change \(i)"))
                parent = sha
            }
            batch.cursors = [.init(repository: "bench/store", stream: "commits", state: "{\"page\":\(pageStart)}")]
            try store.apply(batch)
        }
        let elapsed = clock.now - start
        return Double(commits) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    struct RunFigures {
        var firstRequests: Int
        var items: Int
        var seconds: Double
        var secondRequests: Int
        var secondByStatus: [String: Int]
        var secondPoints: Int
    }

    static func fullSync(_ repository: SimulatedRepository, folder: URL, logger: Logger) async throws -> RunFigures {
        let github = SimulatedGitHub(repositories: [repository], rateLimit: 1_000_000)
        var quiet = logger
        quiet.logLevel = .critical
        let server = try await GitHubSimulatorServer.start(github: github, logger: quiet)
        let store = try TwinStore(path: folder.appendingPathComponent("store.sqlite").path, logger: logger)
        let client = GitHubClient(
            configuration: GitHubClientConfiguration(baseURL: server.baseURL), httpClient: HTTPClient.shared,
            logger: logger)
        let settings = RepositorySettings(
            name: repository.fullName, sources: DataSources(all: repository.fullName), branch: repository.defaultBranch,
            since: nil, definitions: DoraDefinitions())
        let engine = SyncEngine(
            store: store, client: client, configuration: TwinConfiguration(repositories: [settings]), logger: logger)
        let clock = ContinuousClock()
        let start = clock.now
        let first = await engine.sync(settings)
        let elapsed = clock.now - start
        guard first.outcome == .success else {
            await server.stop()
            throw BenchmarkFailure(message: "full sync of \(repository.fullName) ended \(first.outcome): \(first.error ?? "")")
        }
        let remaining = github.rateLimitRemaining
        let second = await engine.sync(settings)
        let points = remaining - github.rateLimitRemaining
        await server.stop()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return RunFigures(
            firstRequests: first.requests.values.reduce(0, +),
            items: first.entities.values.map(\.fetched).reduce(0, +), seconds: seconds,
            secondRequests: second.requests.values.reduce(0, +), secondByStatus: second.requests, secondPoints: points)
    }

    /// One request per 100 items of each list endpoint the sync reads, plus one for the repository.
    static func minimumRequests(_ repository: SimulatedRepository) -> Int {
        func pages(_ count: Int) -> Int { max(1, (count + 99) / 100) }
        var parents: [String: [String]] = [:]
        for commit in repository.commits { parents[commit.sha] = commit.parents }
        var reachable: Set<String> = []
        var stack = repository.headSha.map { [$0] } ?? []
        while let sha = stack.popLast() {
            guard reachable.insert(sha).inserted else { continue }
            for parent in parents[sha] ?? [] where !reachable.contains(parent) { stack.append(parent) }
        }
        return 1 + pages(reachable.count) + pages(repository.tags.count) + pages(repository.releases.count)
            + pages(repository.issues.count) + pages(repository.workflows.count) + pages(repository.runs.count)
    }

    static func packageRoot() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func peakRSSMebibytes() -> Double {
        var usage = rusage()
        #if canImport(Darwin)
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1_048_576
        #else
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1024
        #endif
    }

    struct BenchmarkFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
