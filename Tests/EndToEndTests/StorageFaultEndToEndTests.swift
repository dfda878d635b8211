import Foundation
import GitHubSimulator
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A full disk and a read-only store path give a clear error and a clean exit, never a crash. Uses a small
/// tmpfs mount (needs root, as CI and the development machines run).
@Suite(.serialized, .enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
struct StorageFaultEndToEndTests {
    static func shell(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Mounts a tmpfs of `size` at a new folder, runs `body`, unmounts.
    static func withTmpfs(size: String, readOnly: Bool = false, _ body: (URL) async throws -> Void) async throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("devops-twin-tmpfs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let options = "size=\(size)" + (readOnly ? ",ro" : "")
        try #require(shell(["mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.path]) == 0, "mount tmpfs failed")
        do {
            try await body(mountPoint)
        } catch {
            _ = shell(["umount", mountPoint.path])
            throw error
        }
        _ = shell(["umount", mountPoint.path])
        try? FileManager.default.removeItem(at: mountPoint)
    }

    @Test func aFullDiskStopsTheSyncWithAClearErrorAndKeepsTheStoreReadable() async throws {
        let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
        let github = SimulatedGitHub(repositories: [.generated(owner: "acme", name: "huge", seed: 3, commits: 6000, now: now)])
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        try await Self.withTmpfs(size: "600k") { disk in
            let path = disk.appendingPathComponent("store.sqlite").path
            let config = try workspace.writeConfig(apiURL: simulator.baseURL, repositories: [#"{"name": "acme/huge"}"#])
            let text = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: workspace.storePath, with: path)
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            let sync = try await TwinProcess.run(["sync", "--config", config], in: workspace.url)
            #expect(sync.status != 0)
            #expect(!sync.crashed)
            let output = sync.stderr.lowercased()
            #expect(output.contains("full") || output.contains("no space"), "\(sync.stderr.suffix(800))")
            // What was committed before the disk filled is still there and readable.
            let report = try await TwinProcess.run(["report", "--config", config, "--json"], in: workspace.url)
            #expect(report.status == 0, "\(report.stderr.suffix(500))")
        }
        await simulator.stop()
    }

    @Test func aReadOnlyStorePathIsAClearError() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try await Self.withTmpfs(size: "64k", readOnly: true) { disk in
            let path = disk.appendingPathComponent("data/store.sqlite").path
            let config = try workspace.writeConfig(apiURL: "http://127.0.0.1:9", repositories: [#"{"name": "acme/x"}"#])
            let text = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: workspace.storePath, with: path)
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            let sync = try await TwinProcess.run(["sync", "--config", config], in: workspace.url)
            #expect(sync.status == 3, "\(sync.stderr)")
            #expect(!sync.crashed)
            #expect(sync.stderr.contains(disk.path), "the error names the path: \(sync.stderr)")
        }
    }
}
