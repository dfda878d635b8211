import Foundation
import GitHubSimulator
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The binary as an organisation runs it: a GitHub App key in the environment, repositories discovered, every
/// output free of the key and of installation tokens.
@Suite(.serialized) struct OrganisationEndToEndTests {
    /// A PKCS#1 key as GitHub issues it, made by Python `cryptography`; the line after the header is distinctive.
    static func appKey(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("app.pem")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            """
            from sys import argv
            from cryptography.hazmat.primitives.asymmetric import rsa
            from cryptography.hazmat.primitives import serialization
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            open(argv[1], "wb").write(key.private_bytes(serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
            """, path.path,
        ]
        try process.run()
        process.waitUntilExit()
        return try String(contentsOf: path, encoding: .utf8)
    }

    @Test func anAppSyncsItsDiscoveredRepositoriesAndItsKeyAppearsNowhere() async throws {
        let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
        let workspace = try Workspace()
        defer { workspace.remove() }
        let key = try Self.appKey(in: workspace.url)
        let keyLine = try #require(key.split(separator: "\n").dropFirst().first.map(String.init))
        let github = SimulatedGitHub(
            repositories: ["api", "web", "legacy-tool"].map { .generated(owner: "acme", name: $0, seed: 3, commits: 150, now: now) },
            apps: [SimulatedApp(id: 42, slug: "devops-twin", publicKeyPEM: key, installations: [SimulatedInstallation(id: 4201, account: "acme")])])
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let port = freeLoopbackPort()
        let config = workspace.url.appendingPathComponent("config.json").path
        try """
            {
              "github": {"apiUrl": "\(simulator.baseURL)", "maxRetries": 2, "requestTimeout": "10s"},
              "store": {"path": "\(workspace.storePath)"},
              "sync": {"interval": "60s"},
              "exporter": {"listenAddress": "127.0.0.1:\(port)"},
              "organizations": [{"name": "acme", "exclude": ["legacy-*"]}]
            }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["GITHUB_APP_ID": "42", "GITHUB_APP_PRIVATE_KEY": key]

        let check = try await TwinProcess.run(["check-config", "--config", config, "--discover"], in: workspace.url, environment: environment)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("acme: 2 of 3 repositories would be synced"), "\(check.stdout.suffix(800))")
        #expect(check.stdout.contains("skip  acme/legacy-tool  (excluded by legacy-*)"))
        #expect(check.stdout.contains("sync  acme/api  branch main  credential acme@app-42"))

        let daemon = try TwinProcess(["run", "--config", config, "--log-level", "trace"], in: workspace.url, environment: environment)
        let metrics = try await LoopbackHTTP.waitForMetrics(port: port, timeout: 600) {
            $0.contains(#"devops_twin_sync_repositories{credential="acme@app-42",coverage="complete"} 2"#)
        } ?? ""
        #expect(metrics.contains(#"devops_twin_sync_last_success_timestamp_seconds{repository="acme/web"}"#), "discovered and synced")
        #expect(!metrics.contains("acme/legacy-tool"), "excluded")
        #expect(metrics.contains(#"devops_twin_github_rate_limit_remaining{credential="acme@app-42",resource="core"}"#))
        let page = (try? await LoopbackHTTP.get("http://127.0.0.1:\(port)/")) ?? ""
        #expect(page.contains("acme/api"), "the status page shows the discovered repositories")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 30) == 0)
        #expect(github.installationTokensIssued >= 1)
        for (text, context) in [
            (check.stdout + check.stderr, "check-config --discover"), (daemon.stdout + daemon.stderr, "daemon logs"),
            (metrics, "/metrics"), (page, "the status page"),
        ] {
            #expect(!text.contains(keyLine), "the App's private key appears in \(context)")
            #expect(!text.contains("ghs_"), "an installation token appears in \(context)")
        }
        let files = FileManager.default.enumerator(at: URL(fileURLWithPath: workspace.storePath).deletingLastPathComponent(), includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL } ?? []
        for file in files where !file.hasDirectoryPath && file.lastPathComponent != "app.pem" {
            let bytes = try Data(contentsOf: file)
            #expect(bytes.range(of: Data(keyLine.utf8)) == nil, "the key is stored in \(file.lastPathComponent)")
            #expect(bytes.range(of: Data("ghs_".utf8)) == nil, "a token is stored in \(file.lastPathComponent)")
        }
        await simulator.stop()
    }
}
