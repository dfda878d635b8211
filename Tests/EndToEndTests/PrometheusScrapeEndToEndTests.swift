import AsyncHTTPClient
import Foundation
import GitHubSimulator
import Logging
import NIOCore
import NIOFoundationCompat
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real Prometheus (Debian package) scrapes a real `devops-twin run`; the series it stores carry the
/// values `devops-twin report --json` gives for the same instant.
@Suite(.serialized) struct PrometheusScrapeEndToEndTests {
    static let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!

    static func prometheusBinary() throws -> String {
        for path in ["/usr/bin/prometheus", "/usr/local/bin/prometheus"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw TestFailure("prometheus is not installed: run scripts/test (it installs the Debian package 'prometheus')")
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Instant query: [labels: value].
    static func query(_ prometheus: String, _ expression: String) async throws -> [[String: String]: Double] {
        var components = URLComponents(string: "\(prometheus)/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: expression)]
        let text = try await LoopbackHTTP.get(components.url!.absoluteString)
        guard let root = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let data = root["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { throw TestFailure("unexpected Prometheus answer: \(text.prefix(300))") }
        var values: [[String: String]: Double] = [:]
        for series in result {
            guard let metric = series["metric"] as? [String: String], let value = series["value"] as? [Any],
                let text = value.last as? String, let number = Double(text)
            else { continue }
            var labels = metric
            labels["__name__"] = nil
            labels["instance"] = nil
            labels["job"] = nil
            values[labels] = number
        }
        return values
    }

    @Test func prometheusStoresTheDoraAndSyncSeriesWithTheReportsValues() async throws {
        let prometheusPath = try Self.prometheusBinary()
        let repository = SimulatedRepository.generated(owner: "acme", name: "web", seed: 3, commits: 1200, now: Self.now)
        let github = SimulatedGitHub(repositories: [repository])
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let exporterPort = freeLoopbackPort()
        let config = try workspace.writeConfig(
            apiURL: simulator.baseURL, repositories: [#"{"name": "acme/web", "incidents": {"rules": ["incident", "bug&prod"]}, "ciWorkflows": ["CI"]}"#],
            listen: "127.0.0.1:\(exporterPort)")
        let daemon = try TwinProcess(["run", "--config", config], in: workspace.url)
        defer {
            daemon.signal(SIGTERM)
        }
        let prometheusPort = freeLoopbackPort()
        let prometheusConfig = workspace.url.appendingPathComponent("prometheus.yml")
        try """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: devops-twin
                static_configs: [{targets: ["127.0.0.1:\(exporterPort)"]}]
            """.write(to: prometheusConfig, atomically: true, encoding: .utf8)
        let prometheus = Process()
        prometheus.executableURL = URL(fileURLWithPath: prometheusPath)
        prometheus.arguments = [
            "--config.file=\(prometheusConfig.path)", "--storage.tsdb.path=\(workspace.url.appendingPathComponent("tsdb").path)",
            "--web.listen-address=127.0.0.1:\(prometheusPort)",
        ]
        prometheus.standardOutput = FileHandle.nullDevice
        prometheus.standardError = try FileHandle(forWritingTo: workspace.url.appendingPathComponent("prometheus.log").creatingEmpty())
        try prometheus.run()
        defer {
            prometheus.terminate()
            prometheus.waitUntilExit()
        }
        let promURL = "http://127.0.0.1:\(prometheusPort)"

        // Wait (bounded) until the exporter serves the snapshot of the finished first cycle (its budget gauges say
        // the history is complete: the shallow pass and its deepening both ran) and Prometheus has scraped it.
        var snapshotTime: Double?
        let deadline = Date().addingTimeInterval(600)  // a hang guard: the loop ends at the event
        while Date() < deadline {
            if let metrics = await LoopbackHTTP.metrics(port: exporterPort),
                metrics.contains(#"devops_twin_sync_repositories{credential="default",coverage="complete"} 1"#),
                let line = metrics.split(separator: "\n").first(where: { $0.hasPrefix("devops_twin_snapshot_timestamp_seconds ") }),
                let exported = Double(line.split(separator: " ").last ?? ""),
                let scraped = try? await Self.query(promURL, "devops_twin_snapshot_timestamp_seconds").values.first,
                scraped == exported
            {
                snapshotTime = exported
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let asOfSeconds = try #require(snapshotTime, "Prometheus never scraped a post-sync snapshot; daemon log: \(daemon.stderr.suffix(2000))")
        let asOf = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: asOfSeconds))

        let report = try await TwinProcess.run(["report", "--config", config, "--json", "--as-of", asOf], in: workspace.url)
        #expect(report.status == 0, "\(report.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let repo = try #require((root["repositories"] as? [[String: Any]])?.first)
        let windows = try #require(repo["windows"] as? [String: [String: Any]])

        let deployments = try await Self.query(promURL, "devops_twin_dora_deployments")
        let leadP50 = try await Self.query(promURL, #"devops_twin_dora_lead_time_seconds{statistic="p50"}"#)
        let leadSamples = try await Self.query(promURL, "devops_twin_dora_lead_time_samples")
        let restoreSamples = try await Self.query(promURL, "devops_twin_dora_time_to_restore_samples")
        let cfr = try await Self.query(promURL, "devops_twin_dora_change_failure_ratio")
        let level = try await Self.query(promURL, "devops_twin_dora_level")
        #expect(windows.count == 4)
        for (name, window) in windows {
            let labels = ["repository": "acme/web", "window": name]
            let frequency = try #require(window["deploymentFrequency"] as? [String: Any])
            #expect(deployments[labels] == (frequency["deployments"] as? Int).map(Double.init), "deployments \(name)")
            let lead = try #require(window["leadTime"] as? [String: Any])
            #expect(leadSamples[labels] == (lead["samples"] as? Int).map(Double.init), "lead time samples \(name)")
            var p50Labels = labels
            p50Labels["statistic"] = "p50"
            #expect(leadP50[p50Labels] == lead["p50"] as? Double, "lead time p50 \(name)")
            let restore = try #require(window["timeToRestore"] as? [String: Any])
            #expect(restoreSamples[labels] == (restore["samples"] as? Int).map(Double.init), "restore samples \(name)")
            let failure = try #require(window["changeFailureRate"] as? [String: Any])
            #expect(cfr[labels] == failure["value"] as? Double, "change failure ratio \(name)")
            let levels = try #require(window["levels"] as? [String: Any])
            let grade = ["low": 1.0, "medium": 2.0, "high": 3.0, "elite": 4.0]
            var levelLabels = labels
            levelLabels["metric"] = "deployment_frequency"
            #expect(level[levelLabels] == (levels["deploymentFrequency"] as? String).flatMap { grade[$0] }, "level \(name)")
        }
        let open = try await Self.query(promURL, "devops_twin_dora_open_incidents")
        #expect(open[["repository": "acme/web"]] == (repo["openIncidents"] as? Int).map(Double.init))
        let commits = try await Self.query(promURL, #"devops_twin_store_entities{entity="commits"}"#)
        #expect(commits[["repository": "acme/web", "entity": "commits"]] == Double(repository.commits.count))
        let success = try await Self.query(promURL, #"devops_twin_sync_runs_total{result="success"}"#)
        // Progressive sync: the shallow first pass, then its deepening, each a run of its own.
        #expect(success[["repository": "acme/web", "result": "success"]] == 2)
        let requests = try await Self.query(promURL, #"sum(devops_twin_github_requests_total)"#)
        // The planner's `GET /rate_limit` (free, once per credential and cycle) belongs to no repository.
        let simulatorAnswered = Double(
            github.requestLog.filter { !$0.pathAndQuery.hasPrefix("/_simulator") && !$0.pathAndQuery.hasPrefix("/rate_limit") }.count)
        #expect(requests[[:]] == simulatorAnswered, "requests counted by the exporter = requests the simulator answered")
        let remaining = try await Self.query(promURL, "devops_twin_github_rate_limit_remaining")
        #expect(remaining[["credential": "default", "resource": "core"]] == Double(github.rateLimitRemaining))
        await simulator.stop()
    }
}

extension URL {
    func creatingEmpty() -> URL {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return self
    }
}
