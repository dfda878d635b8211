import Foundation
import GitHubSimulator
import Logging
import Testing

/// Groups through the real processes: simulator → `sync` → `report --json` and the daemon's `/metrics`, against
/// the members' numbers derived independently from the simulator's data (`IndependentDora`) and united.
@Suite(.serialized) struct GroupEndToEndTests {
    static let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!

    @Test func groupNumbersAreTheUnionOfTheMembersEventsInTheReportAndOnMetrics() async throws {
        let shop = SimulatedRepository.generated(owner: "acme", name: "pay-shop", seed: 7, commits: 900, now: Self.now)
        let ledger = SimulatedRepository.generated(owner: "acme", name: "pay-ledger", seed: 8, commits: 600, now: Self.now)
        let other = SimulatedRepository.generated(owner: "acme", name: "docs", seed: 9, commits: 300, now: Self.now)
        let github = SimulatedGitHub(repositories: [shop, ledger, other])
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let port = freeLoopbackPort()
        let config = try workspace.writeConfig(
            apiURL: simulator.baseURL,
            repositories: [#"{"name": "acme/pay-shop"}"#, #"{"name": "acme/pay-ledger"}"#, #"{"name": "acme/docs"}"#],
            extra: #", "groups": [{"name": "payments", "repositories": ["acme/pay-*"]}, {"name": "docs", "repositories": ["acme/docs"]}]"#,
            listen: "127.0.0.1:\(port)")
        let sync = try await TwinProcess.run(["sync", "--config", config], in: workspace.url)
        #expect(sync.status == 0, "\(sync.stderr)")

        let report = try await TwinProcess.run(
            ["report", "--config", config, "--json", "--as-of", "2026-06-01T00:00:00Z", "--window", "30d,90d,all"], in: workspace.url)
        #expect(report.status == 0, "\(report.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let groups = try #require(root["groups"] as? [[String: Any]])
        #expect(groups.map { $0["group"] as? String } == ["payments", "docs"])
        #expect(groups[0]["repositories"] as? [String] == ["acme/pay-shop", "acme/pay-ledger"])

        let members = [shop, ledger].map { IndependentDora(repository: $0, asOf: Self.now, rules: [["incident"]]) }
        let payments = try #require(groups[0]["windows"] as? [String: [String: Any]])
        for (name, length) in [("30d", 30.0 * 86_400), ("90d", 90.0 * 86_400), ("all", nil as Double?)] {
            let window = try #require(payments[name])
            let start = length.map { Self.now.addingTimeInterval(-$0) } ?? members.compactMap(\.firstDeployment).min()!
            let frequency = try #require(window["deploymentFrequency"] as? [String: Any])
            #expect(frequency["deployments"] as? Int == members.map { $0.deployments(from: start) }.reduce(0, +), "\(name)")
            let samples = members.flatMap { $0.leadTimeSamples(from: start) }.sorted()
            let lead = try #require(window["leadTime"] as? [String: Any])
            #expect(lead["samples"] as? Int == samples.count, "\(name)")
            #expect(!samples.isEmpty, "the simulated members deploy in \(name)")
            if let p50 = lead["p50"] as? Double, !samples.isEmpty {
                #expect(abs(p50 - percentile(samples, 0.5)) < 0.001, "group lead time p50 \(name): the union's, not a mean of p50s")
            }
            let restore = members.flatMap { $0.restoreSamples(from: start) }.sorted()
            let timeToRestore = try #require(window["timeToRestore"] as? [String: Any])
            #expect(timeToRestore["samples"] as? Int == restore.count, "\(name)")
            let failure = try #require(window["changeFailureRate"] as? [String: Any])
            #expect(failure["incidents"] as? Int == members.map { $0.incidentsOpened(from: start) }.reduce(0, +), "\(name)")
        }
        // A group of one repository is that repository.
        let docsGroup = try #require(groups[1]["windows"] as? [String: [String: Any]])
        let repositories = try #require(root["repositories"] as? [[String: Any]])
        let docsRepository = try #require(repositories.first { $0["repository"] as? String == "acme/docs" }?["windows"] as? [String: [String: Any]])
        #expect(NSDictionary(dictionary: docsGroup) == NSDictionary(dictionary: docsRepository))

        // The daemon serves the same group numbers, in families of their own.
        let daemon = try TwinProcess(["run", "--config", config], in: workspace.url)
        // The group's numbers are compared with all its members' deployments: wait for the snapshot of the finished
        // first cycle (its budget gauges), not the first one with group families (served after the first member).
        let metrics = try await LoopbackHTTP.waitForMetrics(port: port, timeout: 600) {
            $0.contains("devops_twin_group_dora_deployments{") && $0.contains("devops_twin_sync_budget_planned_requests{")
        } ?? ""
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 30) == 0)
        #expect(metrics.contains(#"devops_twin_group_member_info{group="payments",repository="acme/pay-ledger"} 1"#))
        let allWindow = metrics.split(separator: "\n").filter {
            $0.hasPrefix("devops_twin_group_dora_deployments{group=\"payments\",window=\"all\"} ")
        }
        #expect(allWindow.count == 1, "one series for the group and window")
        let value = try #require(allWindow.first.flatMap { Double($0.split(separator: " ").last!) })
        #expect(Int(value) == members.map { $0.deploymentsInOrder.filter { $0.time < Date() }.count }.reduce(0, +))
        #expect(!metrics.contains(#"devops_twin_dora_deployments{group="#), "repository families never carry a group")
        await simulator.stop()
    }
}
