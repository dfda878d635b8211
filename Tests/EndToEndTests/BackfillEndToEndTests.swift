import Foundation
import GitHubSimulator
import Logging
import Testing

/// `devops-twin backfill` writes OpenMetrics that promtool turns into TSDB blocks, with the report's values.
@Suite(.serialized) struct BackfillEndToEndTests {
    @Test func backfillIsAcceptedByPromtoolAndAgreesWithTheReport() async throws {
        let promtool = try #require(
            ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "promtool is not installed: run scripts/test (Debian package 'prometheus')")
        let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
        let repository = SimulatedRepository.generated(owner: "acme", name: "hist", seed: 5, commits: 800, now: now)
        let simulator = try await GitHubSimulatorServer.start(github: SimulatedGitHub(repositories: [repository]), logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let config = try workspace.writeConfig(apiURL: simulator.baseURL, repositories: [#"{"name": "acme/hist"}"#])
        #expect(try await TwinProcess.run(["sync", "--config", config], in: workspace.url).status == 0)
        await simulator.stop()

        let output = workspace.url.appendingPathComponent("dora.om").path
        let backfill = try await TwinProcess.run(
            ["backfill", "--config", config, "--from", "2026-03-01", "--to", "2026-06-01", "--step", "1d", "--output", output], in: workspace.url)
        #expect(backfill.status == 0, "\(backfill.stderr)")
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.hasSuffix("# EOF\n"))

        let blocks = Process()
        blocks.executableURL = URL(fileURLWithPath: promtool)
        blocks.arguments = ["tsdb", "create-blocks-from", "openmetrics", output, workspace.url.appendingPathComponent("tsdb").path]
        blocks.standardOutput = FileHandle.nullDevice
        blocks.standardError = FileHandle.nullDevice
        try blocks.run()
        blocks.waitUntilExit()
        #expect(blocks.terminationStatus == 0, "promtool rejected the backfill")

        // The last point (2026-06-01) equals the report as of that instant.
        let report = try await TwinProcess.run(["report", "--config", config, "--json", "--as-of", "2026-06-01T00:00:00Z", "--window", "30d"], in: workspace.url)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let window = try #require(((root["repositories"] as? [[String: Any]])?.first?["windows"] as? [String: [String: Any]])?["30d"])
        let deployments = try #require((window["deploymentFrequency"] as? [String: Any])?["deployments"] as? Int)
        let timestamp = Int(ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!.timeIntervalSince1970)
        #expect(text.contains("devops_twin_dora_deployments{repository=\"acme/hist\",window=\"30d\"} \(deployments) \(timestamp)\n"))
        let points = text.split(separator: "\n").filter { $0.hasPrefix("devops_twin_dora_deployments{repository=\"acme/hist\",window=\"30d\"}") }
        #expect(points.count == 93)
    }
}
