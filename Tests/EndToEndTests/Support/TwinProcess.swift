import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The built `devops-twin` executable run as a real process (its output to files, so nothing blocks).
final class TwinProcess: @unchecked Sendable {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    /// `DEVOPS_TWIN_BIN`, else the `devops-twin` beside the test bundle (`swift build` puts them together).
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["DEVOPS_TWIN_BIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("devops-twin")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/devops-twin")
    }

    init(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws {
        let id = UUID().uuidString.prefix(8)
        stdoutURL = folder.appendingPathComponent("stdout-\(id).txt")
        stderrURL = folder.appendingPathComponent("stderr-\(id).txt")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        for key in ["GITHUB_TOKEN", "GITHUB_TOKEN_FILE", "NEO4J_URL", "NEO4J_PASSWORD", "NEO4J_PASSWORD_FILE"] { env[key] = nil }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the exit (polling, bounded); kills the process if it outlives `timeout`.
    @discardableResult
    func waitForExit(timeout: TimeInterval = 300) async -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    /// Runs a command to completion.
    static func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:], timeout: TimeInterval = 300) async throws -> (
        status: Int32, stdout: String, stderr: String, crashed: Bool
    ) {
        let twin = try TwinProcess(arguments, in: folder, environment: environment)
        let status = await twin.waitForExit(timeout: timeout)
        return (status, twin.stdout, twin.stderr, twin.process.terminationReason == .uncaughtSignal)
    }
}

/// A temporary folder for one test, removed at the end.
struct Workspace {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("devops-twin-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var storePath: String { url.appendingPathComponent("store/devops-twin.sqlite").path }

    /// Writes `config.json` for the given repositories (JSON fragments) against `apiURL`.
    @discardableResult
    func writeConfig(apiURL: String, repositories: [String], extra: String = "", listen: String = "127.0.0.1:0") throws -> String {
        let path = url.appendingPathComponent("config.json").path
        let json = """
            {
              "github": {"apiUrl": "\(apiURL)", "maxRetries": 2, "requestTimeout": "10s", "maxRateLimitWait": "1m"},
              "store": {"path": "\(storePath)"},
              "sync": {"interval": "60s"},
              "exporter": {"listenAddress": "\(listen)"}\(extra),
              "repositories": [\(repositories.joined(separator: ", "))]
            }
            """
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Waits for an event another process causes (a request in the simulator's log, a row in the store): polls
/// `condition` every few milliseconds and returns as soon as it holds; false if `timeout` passes first.
func eventually(timeout: TimeInterval = 60, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        guard Date() < deadline else { return false }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return true
}

/// A free TCP port on loopback (bound then released).
func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
