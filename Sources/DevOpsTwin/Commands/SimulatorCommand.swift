import ArgumentParser
import AsyncHTTPClient
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

    @Option(
        name: .long,
        help: ArgumentHelp(
            "API root clients reach the simulator by, for Link headers and url fields.",
            discussion: "When it is not the listen address: e.g. http://simulator:8787 in a container listening on 0.0.0.0.")
    )
    var publicURL: String?

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

    @Flag(
        name: .long,
        help: "Generate repositories for a steady team, as `devops-twin demo` does (a few incidents open, change failure and rework rates in the tens of percent) instead of the tests' dense data (docs/simulator.md)."
    )
    var steadyTeam = false

    @Option(name: .long, help: "Require this token (Authorization: Bearer …); requests without it get 401.")
    var requireToken: String?

    @Option(name: .long, help: "Primary rate limit of each credential (token, installation, app): requests per window (GitHub: 5000 an hour).")
    var rateLimit: Int = 5000

    @Option(name: .long, help: "Seconds until a credential's primary rate limit resets (GitHub: 3600); shorter simulates hours in minutes.")
    var rateLimitWindow: Double = 3600

    @Option(name: .long, help: "Generated repositories owner/prefix-0 … owner/prefix-(N-1), besides --repository (e.g. acme/svc:1000).")
    var organisation: String?

    @Option(name: .long, help: "In --organisation, archive every N-th generated repository (prefix-(N-1), prefix-(2N-1), …).")
    var archivedEvery: Int?

    @Option(name: .long, help: "In --organisation, mark every N-th generated repository as a fork.")
    var forkEvery: Int?

    @Option(name: .long, help: "Also accept this personal access token, with a rate limit of its own; repeatable.")
    var acceptToken: [String] = []

    @Option(
        name: .customLong("app"),
        help: "Register a GitHub App as ID:PEM_FILE (its public key, or the private key GitHub issued, PEM); JWTs it signs are verified (RS256). Repeatable."
    )
    var apps: [String] = []

    @Option(
        name: .customLong("installation"),
        help: "Install an app on an organisation: APP_ID:ORG (all the organisation's repositories) or APP_ID:ORG:K/N (the K-th of N equal parts, as selected repositories). Repeatable; installation IDs are APP_ID*1000+1, +2, … in order."
    )
    var installations: [String] = []

    @Option(name: .long, help: "Seconds an installation token stays valid (GitHub: 3600); shorter exercises token refresh.")
    var installationTokenLifetime: Double = 3600

    @Option(name: .long, help: "Live mode: change a random repository every this many seconds (commits, releases, issues, runs); 0 is off.")
    var liveInterval: Double = 0

    @Option(name: .long, help: "Live mode: deliver signed webhooks for each change to this URL (secret from DEVOPS_TWIN_WEBHOOK_SECRET).")
    var webhookURL: String?

    @Option(name: .long, help: "Live mode: shares (0…1) of webhook deliveries dropped, delayed (1-5 s) and duplicated, as drop,delay,duplicate.")
    var webhookFaults: String = "0,0,0"

    @Option(name: .long, help: "Log level.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        LogSetup.bootstrap(level: logLevel)
        var logger = Logger(label: "devops-twin-simulator")
        logger.logLevel = logLevel
        let names = repository.isEmpty && organisation == nil ? ["demo/webshop"] : repository
        var repositories: [SimulatedRepository] = []
        for (index, name) in names.enumerated() {
            let parts = name.split(separator: "/").map(String.init)
            guard parts.count == 2 else { throw ValidationError("--repository \(name) is not owner/name") }
            if index == 0, let history {
                repositories.append(try SimulatedRepository.fromHistory(fileURL: URL(fileURLWithPath: history), owner: parts[0], name: parts[1], seed: seed))
            } else {
                repositories.append(
                    .generated(
                        owner: parts[0], name: parts[1], seed: seed &+ UInt64(index), commits: commits, now: Date(),
                        deployStyle: deployStyle, profile: steadyTeam ? .steadyTeam : .standard))
            }
        }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw ValidationError("--listen \(listen) is not HOST:PORT")
        }
        let host = String(listen[..<colon])
        if let organisation {
            let parts = organisation.split(separator: ":")
            guard parts.count == 2, let count = Int(parts[1]), count > 0, parts[0].split(separator: "/").count == 2 else {
                throw ValidationError("--organisation \(organisation) is not owner/prefix:count (e.g. acme/svc:1000)")
            }
            let owner = parts[0].split(separator: "/")[0]
            let prefix = parts[0].split(separator: "/")[1]
            for every in [archivedEvery, forkEvery].compactMap({ $0 }) where every <= 0 {
                throw ValidationError("--archived-every and --fork-every must be positive (got \(every))")
            }
            for index in 0..<count {
                // Mixed sizes: most repositories small, some ten times larger.
                let size = index % 10 == 0 ? commits * 10 : commits
                var generated = SimulatedRepository.generated(
                    owner: String(owner), name: "\(prefix)-\(index)", seed: seed &+ 1_000 &+ UInt64(index), commits: size, now: Date())
                generated.archived = archivedEvery.map { (index + 1) % $0 == 0 } ?? false
                generated.fork = forkEvery.map { (index + 1) % $0 == 0 } ?? false
                repositories.append(generated)
            }
        } else if archivedEvery != nil || forkEvery != nil {
            throw ValidationError("--archived-every and --fork-every apply to --organisation's generated repositories: add --organisation owner/prefix:N")
        }
        guard rateLimit > 0, rateLimitWindow > 0 else { throw ValidationError("--rate-limit and --rate-limit-window must be positive") }
        guard installationTokenLifetime > 0 else {
            throw ValidationError("--installation-token-lifetime must be a positive number of seconds (got \(installationTokenLifetime))")
        }
        let registered = try SimulatorApps.parse(apps: apps, installations: installations, repositories: repositories)
        let github = SimulatedGitHub(
            repositories: repositories, requiredToken: requireToken, acceptedTokens: acceptToken, apps: registered,
            installationTokenLifetime: installationTokenLifetime, rateLimit: rateLimit, rateLimitWindow: rateLimitWindow)
        let served = repositories.count > 5 ? "\(repositories.count) repositories" : repositories.map { "\($0.owner)/\($0.name)" }.joined(separator: ", ")
        if let publicURL {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, url.path.isEmpty
            else { throw ValidationError("--public-url \(publicURL) is not an API root such as http://simulator:8787") }
        }
        let service = GitHubSimulatorService(github: github, host: host, port: port, logger: logger, publicURL: publicURL) { url in
            print("simulated GitHub at \(url) serving \(served); set github.apiUrl to it")
            for app in registered {
                let ids = app.installations.map { installation in
                    "\(installation.id) on \(installation.account) (\(installation.repositories.map { "\($0.count) selected" } ?? "all"))"
                }
                print("GitHub App \(app.id) (\(app.slug)): installations \(ids.isEmpty ? "none" : ids.joined(separator: ", "))")
            }
            LineBufferedOutput.flush()
        }
        var services: [any Service] = [service]
        if liveInterval > 0 {
            services.append(try liveService(github: github, repositories: repositories.map(\.fullName), logger: logger))
        }
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

extension SimulatorCommand {
    /// The live mode: changes every `--live-interval` seconds, with signed webhooks to `--webhook-url`.
    func liveService(github: SimulatedGitHub, repositories: [String], logger: Logger) throws -> LiveService {
        let shares = webhookFaults.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard shares.count == 3, let drop = shares[0], let delay = shares[1], let duplicate = shares[2],
            [drop, delay, duplicate].allSatisfy({ (0...1).contains($0) })
        else {
            throw ValidationError("--webhook-faults \(webhookFaults) is not drop,delay,duplicate shares between 0 and 1 (e.g. 0.1,0,0.05)")
        }
        var sender: WebhookSender?
        if let webhookURL {
            guard let secret = ProcessInfo.processInfo.environment["DEVOPS_TWIN_WEBHOOK_SECRET"], !secret.isEmpty else {
                throw ValidationError("--webhook-url needs the secret in DEVOPS_TWIN_WEBHOOK_SECRET (the one devops-twin checks)")
            }
            sender = WebhookSender(
                url: webhookURL, secret: secret, httpClient: .shared,
                faults: WebhookSender.Faults(drop: drop, delay: delay, duplicate: duplicate), seed: seed, logger: logger)
        }
        return LiveService(
            activity: LiveActivity(github: github, repositories: repositories, seed: seed), sender: sender,
            interval: .milliseconds(Int64(liveInterval * 1000)), logger: logger)
    }
}

extension SimulatedDeployStyle: ExpressibleByArgument {}
