import ArgumentParser
import Dora
import Foundation
import GitHubSimulator
import Logging
import Synchronization
import Sync
import TwinConfig
import TwinRuntime

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run devops-twin against a built-in simulated GitHub: no token, no network, no Docker. Ctrl-C stops it."
    )

    @Option(name: .long, help: "Address the exporter listens on.")
    var listen: String = "127.0.0.1:9866"

    @Option(name: .long, help: "Folder for the embedded store (default: a new temporary folder).")
    var dataDir: String?

    @Option(name: .long, help: "Commits of each simulated repository's history.")
    var commits: Int = 3000

    @Option(name: .long, help: "Seed of the simulated data (same seed, same data).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Seconds between syncs.")
    var interval: Int = 60

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard (10...1_000_000).contains(commits) else { throw ValidationError("--commits must be between 10 and 1000000") }
        guard interval >= 1 else { throw ValidationError("--interval must be at least 1 second") }
    }

    func run() async throws {
        LogSetup.bootstrap(level: logLevel)
        var logger = Logger(label: "devops-twin")
        logger.logLevel = logLevel
        try await CommandFailure.reporting {
            let folder = try dataFolder()
            let now = Date()
            let repositories = DemoCommand.repositories(seed: seed, commits: commits, now: now)
            let github = SimulatedGitHub(repositories: repositories)
            let simulator = try await GitHubSimulatorServer.start(github: github, logger: logger)

            var demoConfiguration = try DemoCommand.configuration(simulatorURL: simulator.baseURL, folder: folder, listen: listen)
            demoConfiguration.sync.interval = TimeInterval(interval)
            let configuration = demoConfiguration
            let store = try configuration.openStore(logger: logger)
            let daemon = TwinDaemon(configuration: configuration, store: store, build: BuildInfo.exported, logger: logger)
            let printed = Mutex(false)
            let host = configuration.exporter.listenHost
            let boundPort = Mutex(configuration.exporter.listenPort)
            print("devops-twin demo: simulated GitHub at \(simulator.baseURL), store \(configuration.store.path)")
            LineBufferedOutput.flush()
            try await HTTPClientScope.with { httpClient in
                try await daemon.run(
                    httpClient: httpClient,
                    onListening: { port in
                        boundPort.withLock { $0 = port }
                        print(
                            "status:   http://\(host):\(port)/  (DORA numbers, levels, trends and sync health as a page)\n"
                                + "metrics:  http://\(host):\(port)/metrics\nhealth:   http://\(host):\(port)/healthz  ready: http://\(host):\(port)/readyz")
                        LineBufferedOutput.flush()
                    },
                    afterCycle: { summary in
                        guard printed.withLock({ done in defer { done = true }; return !done }) else { return }
                        let outcome = summary.repositories.map { "\($0.repository): \($0.outcome.rawValue)" }.joined(separator: ", ")
                        print("first sync: \(outcome)")
                        if let result = try? DoraReports.compute(
                            store: store, repositories: configuration.repositories, groups: configuration.groups,
                            windows: [.days(30), .days(90)], benchmark: configuration.dora.benchmark, asOf: Date())
                        {
                            print(ReportTable.render(result.reports, entityCounts: result.entityCounts, groups: result.groups))
                        }
                        let port = boundPort.withLock { $0 }
                        print("Open http://\(host):\(port)/metrics, or run `devops-twin report --config \(folder)/config.json` (also after the demo). Ctrl-C stops the demo.")
                        LineBufferedOutput.flush()
                    })
            }
            await simulator.stop()
        }
    }

    private func dataFolder() throws -> String {
        if let dataDir {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            return dataDir
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devops-twin-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.path
    }

    /// The demo's three repositories, generated for a team as DORA's surveys find them (`.steadyTeam`: a few
    /// incidents open at a time, change failure and rework rates in the tens of percent).
    static func repositories(seed: UInt64, commits: Int, now: Date) -> [SimulatedRepository] {
        [
            SimulatedRepository.generated(owner: "demo", name: "webshop", seed: seed, commits: commits, now: now, profile: .steadyTeam),
            SimulatedRepository.generated(
                owner: "demo", name: "payments", seed: seed &+ 1, commits: max(10, commits / 2), now: now, profile: .steadyTeam),
            SimulatedRepository.generated(
                owner: "demo", name: "checkout", seed: seed &+ 2, commits: max(10, commits / 2), now: now,
                deployStyle: .onTagPush, profile: .steadyTeam),
        ]
    }

    /// The demo's configuration: three simulated repositories, deploying by releases, by GitHub Deployments, and by
    /// a release-on-tag workflow (runs whose `head_branch` is the tag name, with failed attempts and re-runs); two
    /// teams that share `demo/checkout`.
    static func configuration(simulatorURL: String, folder: String, listen: String) throws -> TwinConfiguration {
        let json = """
            {
              "github": {"apiUrl": "\(simulatorURL)", "maxRateLimitWait": "2m"},
              "store": {"path": "\(folder)/devops-twin.sqlite"},
              "sync": {"interval": "60s", "concurrency": 3},
              "exporter": {"listenAddress": "\(listen)"},
              "repositories": [
                {"name": "demo/webshop", "branch": "main",
                 "deployments": {"source": "releases"},
                 "incidents": {"rules": ["incident", "bug&prod"]},
                 "ciWorkflows": ["CI"]},
                {"name": "demo/payments", "branch": "main",
                 "deployments": {"source": "deployments", "environmentPattern": "^production$"},
                 "incidents": {"rules": ["incident", "bug&prod"]},
                 "ciWorkflows": ["CI"]},
                {"name": "demo/checkout", "branch": "main",
                 "deployments": {"source": "workflow", "workflows": ["Deploy"]},
                 "incidents": {"rules": ["incident", "bug&prod"]},
                 "ciWorkflows": ["CI"]}
              ],
              "groups": [
                {"name": "storefront", "repositories": ["demo/webshop", "demo/checkout"]},
                {"name": "money", "repositories": ["demo/payments", "demo/checkout"]}
              ]
            }
            """
        do {
            // The demo never uses a real token, whatever the environment says.
            let configuration = try ConfigLoader(environment: [:]).load(data: Data(json.utf8), origin: "demo configuration").configuration
            // Kept beside the store so `report`, `backfill` and `check-config` work on the demo's data.
            try? json.write(toFile: "\(folder)/config.json", atomically: true, encoding: .utf8)
            return configuration
        } catch {
            throw CommandFailure(error.description, exitCode: 2)
        }
    }
}
