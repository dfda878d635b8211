import ArgumentParser
import Foundation
import GitHubSimulator
import Logging
import ServiceLifecycle

struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Serve the simulated GitHub API alone on a loopback port (for trying configurations and for tests)."
    )

    @Option(name: .long, help: "Address to listen on (loopback by default).")
    var listen: String = "127.0.0.1:8787"

    @Option(name: .long, help: "Repository to serve as owner/name; repeatable. Default: demo/webshop.")
    var repository: [String] = []

    @Option(name: .long, help: "Serve this history file (git-history/1 JSON, as in Tests/Fixtures/histories) as the first repository.")
    var history: String?

    @Option(name: .long, help: "Commits of each generated repository.")
    var commits: Int = 3000

    @Option(name: .long, help: "Seed of the generated data.")
    var seed: UInt64 = 1

    @Option(
        name: .long,
        help: "How generated repositories deploy: release (Deploy runs on published releases) or tag-push (release-on-tag: runs whose head_branch is the tag name, with failed attempts and re-runs; GitHub Deployments to prod with auto_inactive)."
    )
    var deployStyle: SimulatedDeployStyle = .onRelease

    @Option(name: .long, help: "Require this token (Authorization: Bearer …); requests without it get 401.")
    var requireToken: String?

    @Option(name: .long, help: "Log level.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        LogSetup.bootstrap(level: logLevel)
        var logger = Logger(label: "devops-twin-simulator")
        logger.logLevel = logLevel
        let names = repository.isEmpty ? ["demo/webshop"] : repository
        var repositories: [SimulatedRepository] = []
        for (index, name) in names.enumerated() {
            let parts = name.split(separator: "/").map(String.init)
            guard parts.count == 2 else { throw ValidationError("--repository \(name) is not owner/name") }
            if index == 0, let history {
                repositories.append(try SimulatedRepository.fromHistory(fileURL: URL(fileURLWithPath: history), owner: parts[0], name: parts[1], seed: seed))
            } else {
                repositories.append(.generated(owner: parts[0], name: parts[1], seed: seed &+ UInt64(index), commits: commits, now: Date(), deployStyle: deployStyle))
            }
        }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw ValidationError("--listen \(listen) is not HOST:PORT")
        }
        let host = String(listen[..<colon])
        let github = SimulatedGitHub(repositories: repositories, requiredToken: requireToken)
        let service = GitHubSimulatorService(github: github, host: host, port: port, logger: logger) { url in
            print("simulated GitHub at \(url) serving \(names.joined(separator: ", ")); set github.apiUrl to it")
            LineBufferedOutput.flush()
        }
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

extension SimulatedDeployStyle: ExpressibleByArgument {}
