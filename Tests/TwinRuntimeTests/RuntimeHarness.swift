import AsyncHTTPClient
import Foundation
import GitHubSimulator
import Logging
import TwinConfig
import TwinStore

/// A simulated GitHub on loopback, a real store file in a temporary folder, and a configuration pointing at both.
struct RuntimeHarness {
    /// The simulated history ends now, so the live windows hold deployments.
    static let now = Date()

    let server: GitHubSimulatorServer
    let folder: URL
    let configuration: TwinConfiguration
    let store: TwinStore

    /// Runs `body` with a harness serving `demo/app`, and stops and removes everything afterwards.
    static func run(
        listenAddress: String = "127.0.0.1:0", _ body: (RuntimeHarness, HTTPClient) async throws -> Void
    ) async throws {
        let repository = SimulatedRepository.generated(owner: "demo", name: "app", seed: 3, commits: 300, now: now)
        let server = try await GitHubSimulatorServer.start(
            github: SimulatedGitHub(repositories: [repository]), logger: Logger(label: "simulator"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let configuration = try configuration(apiURL: server.baseURL, folder: folder, listenAddress: listenAddress)
            let store = try TwinStore(path: configuration.store.path, logger: Logger(label: "store"))
            try await body(RuntimeHarness(server: server, folder: folder, configuration: configuration, store: store), httpClient)
        } catch {
            try? await httpClient.shutdown()
            await server.stop()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        try? await httpClient.shutdown()
        await server.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    static func configuration(apiURL: String, folder: URL, listenAddress: String) throws -> TwinConfiguration {
        let json = """
            {
              "github": {"apiUrl": "\(apiURL)"},
              "store": {"path": "\(folder.path)/twin.sqlite"},
              "exporter": {"listenAddress": "\(listenAddress)"},
              "repositories": [{"name": "demo/app", "deployments": {"source": "releases"}, "ciWorkflows": ["CI"]}]
            }
            """
        return try ConfigLoader(environment: [:]).load(data: Data(json.utf8), origin: "test").configuration
    }
}
