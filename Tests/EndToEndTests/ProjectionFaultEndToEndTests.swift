import Foundation
import GitHubSimulator
import Logging
import Neo4jFake
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `devops-twin project` killed (SIGKILL) in the middle of its Neo4j projection, at a random request.
@Suite(.serialized) struct ProjectionFaultEndToEndTests {
    static let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!

    /// Copies the store's SQLite files (database, WAL, shared memory: whichever exist) from `source` to `target`.
    static func copyStore(from source: String, to target: String) throws {
        let files = FileManager.default
        for suffix in ["", "-wal", "-shm"] {
            try? files.removeItem(atPath: target + suffix)
            if files.fileExists(atPath: source + suffix) { try files.copyItem(atPath: source + suffix, toPath: target + suffix) }
        }
    }

    /// Each trial starts from the same synced, never projected store and an empty graph, lets the projection
    /// through a random number of Neo4j requests, holds the next one unanswered and kills the process while it
    /// waits: the kill always lands mid-projection. The next `project` must then write exactly the graph a
    /// clean run writes: nothing lost (no watermark ran ahead of what Neo4j committed), nothing doubled.
    @Test func sigkillMidProjectionThenTheNextRunWritesExactlyTheCleanGraph() async throws {
        let repository = SimulatedRepository.generated(owner: "acme", name: "graph", seed: 5, commits: 1500, now: Self.now)
        let simulator = try await GitHubSimulatorServer.start(github: SimulatedGitHub(repositories: [repository]), logger: Logger(label: "sim"))
        let graph = FakeNeo4j(credentials: ("neo4j", "fake-password"))
        let neo4j = try await Neo4jFakeServer.start(neo4j: graph)
        let workspace = try Workspace()
        defer { workspace.remove() }
        let config = try workspace.writeConfig(
            apiURL: simulator.baseURL,
            repositories: [#"{"name": "acme/graph", "incidents": {"rules": ["incident", "bug&prod"]}, "ciWorkflows": ["CI"]}"#],
            extra: #", "neo4j": {"url": "\#(neo4j.url)", "requestTimeout": "60s"}"#)
        let environment = ["NEO4J_PASSWORD": "fake-password"]
        let synced = try await TwinProcess.run(["sync", "--config", config], in: workspace.url, environment: environment)
        try #require(synced.status == 0, "\(synced.stderr)")
        let pristine = workspace.url.appendingPathComponent("pristine.sqlite").path
        try Self.copyStore(from: workspace.storePath, to: pristine)

        // The clean graph, and how many database requests a whole projection takes (kill points are drawn below it).
        let clean = try await TwinProcess.run(["project", "--config", config], in: workspace.url, environment: environment)
        try #require(clean.status == 0, "\(clean.stderr)")
        let cleanGraph = graph.graph
        let requestsPerProjection = graph.requests.filter { $0.path.hasPrefix("/db/") }.count
        try #require(requestsPerProjection >= 2, "a projection of \(repository.commits.count) commits took \(requestsPerProjection) request(s)")

        let trials = Int(ProcessInfo.processInfo.environment["DEVOPS_TWIN_KILL_TRIALS"] ?? "") ?? 6
        var generator = SplitMix64(seed: 2027)
        var killPoints: [Int] = []
        let history = ["SyncRun", "SchemaMigration"]  // when each run happened: differs between runs by design
        for trial in 0..<trials {
            try Self.copyStore(from: pristine, to: workspace.storePath)
            graph.setGraph(FakeGraph())
            graph.clearRecords()
            let answered = Int(generator.next() % UInt64(requestsPerProjection))
            graph.inject(.hang, skip: answered, count: 1)
            let project = try TwinProcess(["project", "--config", config], in: workspace.url, environment: environment)
            let held = await eventually { graph.hungRequestCount > 0 || !project.process.isRunning }
            try #require(held && project.process.isRunning, "trial \(trial): the projection ended before request \(answered + 1): \(project.stderr.suffix(800))")
            project.signal(SIGKILL)
            await project.waitForExit(timeout: 30)
            graph.clearFaults()
            killPoints.append(answered)

            let resumed = try await TwinProcess.run(["project", "--config", config], in: workspace.url, environment: environment)
            #expect(resumed.status == 0, "trial \(trial): \(resumed.stderr.suffix(800))")
            let differences = cleanGraph.differences(from: graph.graph, limit: .max).filter { line in
                !history.contains { line.contains(":\($0)") }
            }
            #expect(differences.isEmpty, "trial \(trial), killed after \(answered) answered request(s): \(differences.prefix(5))")
            #expect(graph.graph.relationshipCounts == cleanGraph.relationshipCounts, "trial \(trial)")
        }
        print("projection kill trials: \(trials), requests per projection: \(requestsPerProjection), kill points (answered requests): \(killPoints)")
        await neo4j.stop()
        await simulator.stop()
    }
}
