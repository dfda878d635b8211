import AsyncHTTPClient
import Dora
import Foundation
import GitHubAPI
import GitHubSimulator
import Logging
import Sync
import Synchronization
import TwinConfig
import TwinStore

/// The real simulator on loopback, a real store file in a temporary folder, and helpers to sync.
struct SyncHarness {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let name = "octo/app"

    let github: SimulatedGitHub
    let server: GitHubSimulatorServer
    /// The simulator's and the client's clock; the client's sleeps advance it instead of waiting.
    let clock: TestClock
    let folder: URL
    let storePath: String
    let store: TwinStore

    static func start(
        _ repositories: [SimulatedRepository] = [generated()], rateLimit: Int = 100_000
    ) async throws -> SyncHarness {
        let clock = TestClock(Date())
        let github = SimulatedGitHub(
            repositories: repositories, requiredToken: "test-token", rateLimit: rateLimit, clock: { clock.now })
        let server = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "simulator"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)")
        let storePath = folder.appendingPathComponent("store.sqlite").path
        let store = try TwinStore(path: storePath, logger: Logger(label: "store"))
        return SyncHarness(
            github: github, server: server, clock: clock, folder: folder, storePath: storePath, store: store)
    }

    /// Starts a harness, runs `body`, and stops the simulator and removes the folder whatever happens.
    static func run(
        _ repositories: [SimulatedRepository] = [generated()], rateLimit: Int = 100_000,
        _ body: (SyncHarness) async throws -> Void
    ) async throws {
        let harness = try await start(repositories, rateLimit: rateLimit)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    static func generated(commits: Int = 450, seed: UInt64 = 7) -> SimulatedRepository {
        SimulatedRepository.generated(owner: "octo", name: "app", seed: seed, commits: commits, now: now)
    }

    func stop() async {
        await server.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// A second store in the same folder (for comparing an interrupted with an uninterrupted sync).
    func otherStore(_ name: String) throws -> TwinStore {
        try TwinStore(path: folder.appendingPathComponent(name).path, logger: Logger(label: "store"))
    }

    func client(maxRetries: Int = 4, maxRateLimitWait: Duration = .seconds(900), requestTimeout: Duration = .seconds(30)) -> GitHubClient {
        var configuration = GitHubClientConfiguration(baseURL: server.baseURL, token: "test-token")
        configuration.maxRetries = maxRetries
        configuration.requestTimeout = requestTimeout
        configuration.maxRateLimitWait = maxRateLimitWait
        return GitHubClient(
            configuration: configuration, httpClient: HTTPClient.shared, logger: Logger(label: "client"),
            sleep: { [clock] duration in clock.advance(duration) }, now: { [clock] in clock.now })
    }

    static func settings(
        _ name: String = SyncHarness.name, since: Date? = nil, deployments: Bool = false
    ) -> RepositorySettings {
        RepositorySettings(
            name: name, sources: DataSources(all: name), branch: "main", since: since,
            definitions: DoraDefinitions(
                deploymentSource: deployments ? .deployments(environmentPattern: "production") : .releases(includePrereleases: false)))
    }

    func sync(
        _ settings: RepositorySettings = SyncHarness.settings(), store: TwinStore? = nil, client: GitHubClient? = nil
    ) async -> RepositorySyncResult {
        let configuration = TwinConfiguration(repositories: [settings])
        let engine = SyncEngine(
            store: store ?? self.store, client: client ?? self.client(), configuration: configuration,
            logger: Logger(label: "sync"), now: { SyncHarness.now })
        return await engine.sync(settings)
    }

    /// Shas reachable from the simulated branch head (what the branch listing returns).
    static func reachableShas(_ repository: SimulatedRepository, since: Date? = nil) -> Set<String> {
        var parents: [String: [String]] = [:]
        var dates: [String: Date] = [:]
        for commit in repository.commits {
            parents[commit.sha] = commit.parents
            dates[commit.sha] = commit.committerDate
        }
        guard let head = repository.headSha else { return [] }
        var seen: Set<String> = [head]
        var stack = [head]
        while let sha = stack.popLast() {
            for parent in parents[sha] ?? [] where seen.insert(parent).inserted {
                stack.append(parent)
            }
        }
        if let since { seen = seen.filter { (dates[$0] ?? .distantPast) >= since } }
        return seen
    }

    /// The simulator's data for the repository, reduced to what the store must equal.
    static func expected(_ repository: SimulatedRepository) -> [String: Int] {
        [
            "commits": reachableShas(repository).count,
            "tags": repository.tags.count,
            "releases": repository.releases.count,
            "issues": repository.issues.filter { !$0.isPullRequest }.count,
            "pull_requests": repository.issues.filter(\.isPullRequest).count,
            "workflows": repository.workflows.count,
            "workflow_runs": repository.runs.count,
        ]
    }

    /// Entity counts without deployments (only synced with the deployments source).
    func counts(_ store: TwinStore? = nil) throws -> [String: Int] {
        var counts = try (store ?? self.store).entityCounts(SyncHarness.name)
        counts["deployments"] = nil
        return counts
    }
}

/// A clock that moves only when told to (the client's sleeps advance it).
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(_ duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
