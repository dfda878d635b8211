import AsyncHTTPClient
import Dora
import Foundation
import GitHubAPI
import GitHubSimulator
import Logging
import Sync
import TwinConfig
import TwinStore

/// Requests of a progressive full sync of one recorded history (a shallow first pass back to the 90-day horizon,
/// then deepening back to the start, as the daemon's planner runs them) against the minimum counted from the
/// repository's content (`SimulatedRepository.minimumPages`), stream by stream; then the rate-limit points of a
/// second, unchanged cycle.
enum SyncRequestFigures {
    struct Figures {
        var requests: [String: Int]
        var minimum: [String: Int]
        var cycles: Int
        var secondPoints: Int
        var total: Int { requests.values.reduce(0, +) }
        var minimumTotal: Int { minimum.values.reduce(0, +) }
    }

    /// The stream a request belongs to, from its path (`/repos/{o}/{r}/…`).
    static func stream(of pathAndQuery: String) -> String {
        let path = pathAndQuery.split(separator: "?").first.map(String.init) ?? pathAndQuery
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "repos" else { return "other" }
        guard parts.count > 3 else { return "repository" }
        switch parts[3] {
        case "commits": return "commits"
        case "tags", "git": return "tags"
        case "releases": return "releases"
        case "issues": return "issues"
        case "deployments": return "deployments"
        case "actions": return parts.count > 4 && parts[4] == "workflows" ? "workflows" : "workflow_runs"
        default: return "other"
        }
    }

    static func progressive(_ repository: SimulatedRepository, folder: URL, logger: Logger) async throws -> Figures {
        let github = SimulatedGitHub(repositories: [repository], rateLimit: 1_000_000)
        var quiet = logger
        quiet.logLevel = .critical
        let server = try await GitHubSimulatorServer.start(github: github, logger: quiet)
        do {
            let figures = try await progressive(repository, github: github, baseURL: server.baseURL, folder: folder, logger: quiet)
            await server.stop()
            return figures
        } catch {
            await server.stop()
            throw error
        }
    }

    private static func progressive(
        _ repository: SimulatedRepository, github: SimulatedGitHub, baseURL: String, folder: URL, logger quiet: Logger
    ) async throws -> Figures {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try TwinStore(path: folder.appendingPathComponent("store.sqlite").path, logger: quiet)
        let client = GitHubClient(
            configuration: GitHubClientConfiguration(baseURL: baseURL), httpClient: HTTPClient.shared, logger: quiet)
        let settings = RepositorySettings(
            name: repository.fullName, sources: DataSources(all: repository.fullName), branch: repository.defaultBranch,
            since: nil, definitions: DoraDefinitions())
        var configuration = TwinConfiguration(repositories: [settings])
        configuration.sync.shallowHorizon = 90 * 86_400
        // The history's own "now" (an hour after its newest commit), so the horizon cuts it as it would have then.
        let now = (repository.commits.map(\.committerDate).max() ?? Date()).addingTimeInterval(3600)
        let engine = SyncEngine(store: store, client: client, configuration: configuration, logger: quiet, now: { now })
        var cycles = 0
        while cycles < 5 {
            cycles += 1
            let summary = await engine.syncAll()
            guard summary.repositories.allSatisfy({ $0.outcome == .success }) else {
                throw SyncBenchmark.BenchmarkFailure(message: "progressive sync of \(repository.fullName) failed: \(summary.repositories)")
            }
            if try store.historyCoverage(repository: repository.fullName) == .complete { break }
        }
        var requests: [String: Int] = [:]
        for entry in github.requestLog where !entry.pathAndQuery.hasPrefix("/rate_limit") {
            requests[stream(of: entry.pathAndQuery), default: 0] += 1
        }
        let remaining = github.rateLimitRemaining
        let logged = github.requestLog.count
        _ = await engine.syncAll()
        if ProcessInfo.processInfo.environment["SYNC_BENCH_LOG_REQUESTS"] != nil {
            for (index, entry) in github.requestLog.enumerated() {
                print("request \(index < logged ? "first" : "second") \(entry.status.map(String.init) ?? "-") \(entry.pathAndQuery)")
            }
        }
        return Figures(
            requests: requests, minimum: repository.minimumPages(), cycles: cycles,
            secondPoints: remaining - github.rateLimitRemaining)
    }

    /// Prints `sync.NAME.*` lines: the total ratio, then each stream's requests against its minimum.
    static func report(_ name: String, _ figures: Figures, target: String) {
        print("sync.\(name).progressive_requests \(figures.total) (cycles \(figures.cycles))")
        print("sync.\(name).minimum_requests \(figures.minimumTotal)")
        print(String(format: "sync.\(name).progressive_request_ratio %.3f (target \(target))", Double(figures.total) / Double(figures.minimumTotal)))
        for stream in Set(figures.requests.keys).union(figures.minimum.keys).sorted() {
            print("sync.\(name).stream.\(stream) \(figures.requests[stream] ?? 0) for \(figures.minimum[stream] ?? 0)")
        }
        print("sync.\(name).second_cycle_rate_limit_points \(figures.secondPoints) (target 0)")
    }
}
