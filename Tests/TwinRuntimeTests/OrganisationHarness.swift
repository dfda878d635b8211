import AsyncHTTPClient
import Foundation
import GitHubSimulator
import Logging
import Synchronization
import TwinConfig
import TwinStore
import _CryptoExtras

/// An organisation on the simulated GitHub with the App installed on it, a real store, and a configuration that
/// discovers the organisation's repositories and authenticates as the App.
struct OrganisationHarness {
    static let now = Date()
    /// One App key for every test (2048-bit keys take a moment to make).
    static let appKey: String = {
        do { return try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation } catch { fatalError("no RSA key: \(error)") }
    }()
    static let appID = 7
    static let installationID = 70

    let github: SimulatedGitHub
    let server: GitHubSimulatorServer
    let folder: URL
    let configuration: TwinConfiguration
    let store: TwinStore

    static func repository(_ name: String, commits: Int = 60, days: Int? = nil) -> SimulatedRepository {
        SimulatedRepository.generated(owner: "acme", name: name, seed: 11, commits: commits, now: now)
    }

    static func run(
        _ repositories: [SimulatedRepository], rateLimit: Int = 100_000, organisation: String = "",
        sync: String = "", extra: String = "", environment: [String: String] = [:],
        _ body: (OrganisationHarness, HTTPClient) async throws -> Void
    ) async throws {
        let github = SimulatedGitHub(
            repositories: repositories,
            apps: [
                SimulatedApp(
                    id: appID, slug: "devops-twin", publicKeyPEM: appKey,
                    installations: [SimulatedInstallation(id: installationID, account: "acme")])
            ],
            rateLimit: rateLimit)
        let server = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "simulator"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("organisation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let json = """
                {
                  "github": {"apiUrl": "\(server.baseURL)", "app": {"id": \(appID), "privateKeyEnv": "TEST_APP_KEY"}, "maxRetries": 0},
                  "store": {"path": "\(folder.path)/twin.sqlite"},
                  "sync": {"concurrency": 2\(sync)},
                  "exporter": {"listenAddress": "127.0.0.1:0"},
                  "organizations": [{"name": "acme", "exclude": ["legacy-*"]\(organisation)}],
                  "groups": [{"name": "web", "repositories": ["acme/web*"]}]\(extra)
                }
                """
            let configuration = try ConfigLoader(environment: environment.merging(["TEST_APP_KEY": appKey]) { $1 }).load(data: Data(json.utf8), origin: "test")
                .configuration
            let store = try TwinStore(path: configuration.store.path, logger: Logger(label: "store"))
            try await body(
                OrganisationHarness(github: github, server: server, folder: folder, configuration: configuration, store: store), httpClient)
        } catch {
            try? await httpClient.shutdown()
            await server.stop()
            throw error
        }
        try? await httpClient.shutdown()
        await server.stop()
    }
}
