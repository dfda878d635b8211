import Foundation
import Hummingbird
import Logging
import Synchronization

/// A running simulated GitHub on loopback, for tests and benchmarks. Start it, use `baseURL` as the API root,
/// `stop()` it at the end.
public struct GitHubSimulatorServer: Sendable {
    /// "http://127.0.0.1:PORT": the API root (GET /repos/o/r/...).
    public let baseURL: String
    /// The bound port.
    public let port: Int
    /// The simulated GitHub being served.
    public let github: SimulatedGitHub
    private let task: Task<Void, Never>

    /// Starts serving `github` and returns once the port is bound. `port` 0 picks a free port.
    public static func start(
        github: SimulatedGitHub, host: String = "127.0.0.1", port: Int = 0, logger: Logger
    ) async throws -> GitHubSimulatorServer {
        let box = BaseURLBox("http://\(host):\(port)")
        let pending = Mutex<CheckedContinuation<Int, any Error>?>(nil)
        let started = Mutex<Int?>(nil)
        let failure = Mutex<(any Error)?>(nil)
        let application = GitHubSimulatorService.application(
            github: github, host: host, port: port, logger: logger, baseURL: box
        ) { boundPort in
            started.withLock { $0 = boundPort }
            pending.withLock { continuation in
                continuation?.resume(returning: boundPort)
                continuation = nil
            }
        }
        let task = Task {
            do {
                try await application.run()
            } catch {
                logger.debug("simulated GitHub stopped with an error", metadata: ["error": .string("\(error)")])
                failure.withLock { $0 = error }
            }
            pending.withLock { continuation in
                continuation?.resume(throwing: GitHubSimulatorError(kind: .serverStartFailed, detail: "\(host):\(port)"))
                continuation = nil
            }
        }
        let boundPort = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                let early: Result<Int, any Error>? = pending.withLock { slot in
                    if let port = started.withLock({ $0 }) { return .success(port) }
                    if task.isCancelled || failure.withLock({ $0 }) != nil {
                        return .failure(GitHubSimulatorError(kind: .serverStartFailed, detail: "\(host):\(port)"))
                    }
                    slot = continuation
                    return nil
                }
                if let early { continuation.resume(with: early) }
            }
        } onCancel: {
            task.cancel()
        }
        return GitHubSimulatorServer(baseURL: box.value, port: boundPort, github: github, task: task)
    }

    /// Stops the server and waits until it has shut down.
    public func stop() async {
        task.cancel()
        await task.value
    }
}
