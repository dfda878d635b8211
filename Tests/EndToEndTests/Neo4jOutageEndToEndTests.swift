import AsyncHTTPClient
import Foundation
import GitHubSimulator
import Logging
import Neo4jFake
import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `devops-twin run` with Neo4j down at start, then back: the exporter keeps serving, the store keeps
/// syncing, and the graph converges to what a clean `project --rebuild` writes.
@Suite(.serialized) struct Neo4jOutageEndToEndTests {
    static func value(_ text: String, _ prefix: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }


    @Test func theGraphCatchesUpAfterAnOutageAndEqualsACleanRebuild() async throws {
        let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
        let github = SimulatedGitHub(repositories: [.generated(owner: "acme", name: "graph", seed: 11, commits: 400, now: now)])
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let graph = FakeNeo4j(credentials: ("neo4j", "fake-password"))
        let neo4j = try await Neo4jFakeServer.start(neo4j: graph)
        await neo4j.stop()  // down at start
        let workspace = try Workspace()
        defer { workspace.remove() }
        let port = freeLoopbackPort()
        let config = try workspace.writeConfig(
            apiURL: simulator.baseURL, repositories: [#"{"name": "acme/graph", "incidents": {"rules": ["incident", "bug&prod"]}, "ciWorkflows": ["CI"]}"#],
            extra: #", "neo4j": {"url": "\#(neo4j.url)", "requestTimeout": "5s"}"#, listen: "127.0.0.1:\(port)")
        // A short interval so the daemon cycles while the test watches.
        let environment = ["NEO4J_PASSWORD": "fake-password", "DEVOPS_TWIN_SYNC_INTERVAL": "1s"]
        let daemon = try TwinProcess(["run", "--config", config], in: workspace.url, environment: environment)

        let whileDown = try await LoopbackHTTP.waitForMetrics(port: port) { text in
            daemon.stderr.contains("projection to neo4j failed")
                && text.contains("devops_twin_sync_last_success_timestamp_seconds{") && Self.value(text, "devops_twin_neo4j_up") == 0
        }
        let down = try #require(whileDown, "the exporter serves a synced snapshot with neo4j_up 0 while Neo4j is down: \(daemon.stderr.suffix(1500))")
        #expect(down.contains("devops_twin_dora_deployments{repository=\"acme/graph\""))
        #expect((Self.value(down, "devops_twin_projection_lag_items{repository=\"acme/graph\"}") ?? 0) > 0, "lag is visible while down")

        try await neo4j.restart()
        let caughtUp = try await LoopbackHTTP.waitForMetrics(port: port) { text in
            Self.value(text, "devops_twin_neo4j_up") == 1 && Self.value(text, "devops_twin_projection_lag_items{repository=\"acme/graph\"}") == 0
        }
        #expect(caughtUp != nil, "the projection caught up after Neo4j came back: \(daemon.stderr.suffix(1500))")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 30) == 0)
        #expect(!daemon.stderr.contains("fake-password"))

        // A clean rebuild from the same store into an empty Neo4j writes the same graph.
        let clean = FakeNeo4j(credentials: ("neo4j", "fake-password"))
        let cleanServer = try await Neo4jFakeServer.start(neo4j: clean)
        let rebuild = try await TwinProcess.run(
            ["project", "--config", config, "--rebuild"], in: workspace.url, environment: ["NEO4J_PASSWORD": "fake-password", "NEO4J_URL": cleanServer.url])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        let history: Set<String> = ["SyncRun", "SchemaMigration"]
        let live = graph.graph.nodeCounts.filter { !history.contains($0.key) }
        let rebuilt = clean.graph.nodeCounts.filter { !history.contains($0.key) }
        #expect(live == rebuilt)
        #expect(graph.graph.relationshipCounts == clean.graph.relationshipCounts)
        let differences = clean.graph.differences(from: graph.graph, limit: 50).filter { line in !history.contains { line.contains(":\($0)") } }
        #expect(differences.isEmpty, "\(differences.prefix(5))")
        #expect((live["Commit"] ?? 0) == 400)
        await cleanServer.stop()
        await neo4j.stop()
        await simulator.stop()
    }
}
