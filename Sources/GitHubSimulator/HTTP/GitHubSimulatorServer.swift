import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
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
    private let group: ServiceGroup

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
        // In a group of its own, so that `stop()` shuts the server down gracefully: cancelling it instead
        // makes Hummingbird log a CancellationError as an error.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [.init(service: application)], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            do {
                try await group.run()
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
        return GitHubSimulatorServer(baseURL: box.value, port: boundPort, github: github, task: task, group: group)
    }

    /// Stops the server and waits until it has shut down.
    /// Requests in flight get two seconds to finish (a stalled one, from a fault, is then cut off).
    public func stop() async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let cutOff = Task {
            try? await Task.sleep(for: .seconds(2))
            task.cancel()
        }
        await task.value
        cutOff.cancel()
    }
}
