import AsyncHTTPClient
import Foundation
import GitHubSimulator
import Logging
import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A recognisable token and Neo4j password never show up in logs, errors, /metrics, check-config output or
/// any file written to the store folder — in a failing sync, the daemon, and the demo.
@Suite(.serialized) struct SecretsEndToEndTests {
    static let token = "tok-RECOGNISABLE-8c1f2e"
    static let password = "pw-RECOGNISABLE-77d3a9"
    static let environment = ["GITHUB_TOKEN": token, "NEO4J_PASSWORD": password, "NEO4J_URL": "http://127.0.0.1:9", "NEO4J_USER": "neo4j"]

    static func assertClean(_ text: String, _ context: String) {
        #expect(!text.contains(token), "the GitHub token appears in \(context)")
        #expect(!text.contains(password), "the Neo4j password appears in \(context)")
    }

    static func assertStoreFolderClean(_ folder: URL) throws {
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        #expect(!files.isEmpty)
        for file in files where !file.hasDirectoryPath {
            let bytes = try Data(contentsOf: file)
            #expect(bytes.range(of: Data(token.utf8)) == nil, "the GitHub token is stored in \(file.lastPathComponent)")
            #expect(bytes.range(of: Data(password.utf8)) == nil, "the Neo4j password is stored in \(file.lastPathComponent)")
        }
    }

    @Test func aFailingSyncAndCheckConfigNeverShowTheSecrets() async throws {
        let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
        // GitHub wants another token: every request fails with 401, after which the sync reports the error.
        let github = SimulatedGitHub(
            repositories: [.generated(owner: "acme", name: "app", seed: 1, commits: 200, now: now)], requiredToken: "another-token")
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let config = try workspace.writeConfig(apiURL: simulator.baseURL, repositories: [#"{"name": "acme/app"}"#])

        let sync = try await TwinProcess.run(["sync", "--config", config, "--json", "--log-level", "trace"], in: workspace.url, environment: Self.environment)
        #expect(sync.status != 0)
        #expect(sync.stderr.contains("GITHUB_TOKEN"), "the 401 tells the user what to check: \(sync.stderr.suffix(500))")
        Self.assertClean(sync.stdout + sync.stderr, "sync output")

        let check = try await TwinProcess.run(["check-config", "--config", config], in: workspace.url, environment: Self.environment)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("<redacted>"))
        Self.assertClean(check.stdout + check.stderr, "check-config output")
        try Self.assertStoreFolderClean(URL(fileURLWithPath: workspace.storePath).deletingLastPathComponent())
        await simulator.stop()
    }

    @Test func theDaemonNeverShowsTheSecretsInLogsOrMetrics() async throws {
        let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
        let github = SimulatedGitHub(repositories: [.generated(owner: "acme", name: "app", seed: 2, commits: 300, now: now)], requiredToken: Self.token)
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let port = freeLoopbackPort()
        let config = try workspace.writeConfig(apiURL: simulator.baseURL, repositories: [#"{"name": "acme/app"}"#], listen: "127.0.0.1:\(port)")
        let daemon = try TwinProcess(["run", "--config", config, "--log-level", "trace"], in: workspace.url, environment: Self.environment)
        // The event read below: a snapshot with the synced repository's DORA numbers (the wait is a hang guard only).
        let metrics = try await LoopbackHTTP.waitForMetrics(port: port, timeout: 600) {
            $0.contains("devops_twin_sync_last_success_timestamp_seconds{") && $0.contains("devops_twin_dora_deployments{")
        } ?? ""
        #expect(metrics.contains("devops_twin_dora_deployments"), "the daemon synced with the token and served metrics")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 30) == 0)
        #expect(Self.errorLines(daemon.stderr).isEmpty, "a graceful stop logs no error: \(Self.errorLines(daemon.stderr))")
        Self.assertClean(metrics, "/metrics")
        Self.assertClean(daemon.stdout + daemon.stderr, "daemon logs")
        try Self.assertStoreFolderClean(URL(fileURLWithPath: workspace.storePath).deletingLastPathComponent())
        await simulator.stop()
    }

    @Test func theDemoNeverShowsTheSecrets() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let port = freeLoopbackPort()
        let data = workspace.url.appendingPathComponent("demo-data")
        let demo = try TwinProcess(
            ["demo", "--listen", "127.0.0.1:\(port)", "--data-dir", data.path, "--commits", "300", "--log-level", "trace"], in: workspace.url,
            environment: Self.environment)
        // The first repository's sync can be served before any lead time is: wait for what is read below.
        let metrics = try await LoopbackHTTP.waitForMetrics(port: port, timeout: 600) {
            $0.contains("devops_twin_sync_last_success_timestamp_seconds{") && $0.contains("devops_twin_dora_lead_time_seconds{")
        } ?? ""
        #expect(metrics.contains("devops_twin_dora_lead_time_seconds"))
        demo.signal(SIGINT)
        #expect(await demo.waitForExit(timeout: 30) == 0)
        #expect(Self.errorLines(demo.stderr).isEmpty, "a graceful stop logs no error: \(Self.errorLines(demo.stderr))")
        #expect(demo.stdout.contains("http://127.0.0.1:\(port)/metrics"), "the demo prints the URL to open")
        Self.assertClean(metrics, "demo /metrics")
        Self.assertClean(demo.stdout + demo.stderr, "demo output")
        try Self.assertStoreFolderClean(data)
    }

    /// Log lines at level error or above (`<timestamp> error <label>: …`).
    static func errorLines(_ log: String) -> [Substring] {
        log.split(separator: "\n").filter { line in
            line.split(separator: " ", maxSplits: 2).dropFirst().first.map { ["error", "critical"].contains($0) } ?? false
        }
    }
}
