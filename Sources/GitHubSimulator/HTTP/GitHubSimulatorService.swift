import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The simulated GitHub as a `Service`, for a `ServiceGroup` (the demo): serves `github` on `host:port` until the
/// group shuts down gracefully or the task is cancelled.
public struct GitHubSimulatorService: Service {
    let github: SimulatedGitHub
    let host: String
    let port: Int
    let logger: Logger
    let publicURL: String?
    let onRunning: @Sendable (String) async -> Void

    /// - Parameters:
    ///   - port: 0 picks a free port; `onRunning` receives the base URL ("http://HOST:PORT") once bound.
    ///   - publicURL: the API root clients reach the server by, for `Link` headers and `url` fields, when it is not
    ///     the listen address (a container listening on 0.0.0.0, reached as `http://simulator:8787`).
    public init(
        github: SimulatedGitHub, host: String = "127.0.0.1", port: Int = 0, logger: Logger, publicURL: String? = nil,
        onRunning: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.github = github
        self.host = host
        self.port = port
        self.logger = logger
        self.publicURL = publicURL
        self.onRunning = onRunning
    }

    public func run() async throws {
        let box = BaseURLBox("http://\(host):\(port)")
        let onRunning = self.onRunning
        let publicURL = self.publicURL
        let application = Self.application(github: github, host: host, port: port, logger: logger, baseURL: box) { _ in
            if let publicURL { box.set(publicURL) }
            await onRunning(box.value)
        }
        try await application.run()
    }

    static func application(
        github: SimulatedGitHub, host: String, port: Int, logger: Logger, baseURL: BaseURLBox,
        onBound: @escaping @Sendable (Int) async -> Void
    ) -> Application<SimulatorResponder> {
        let displayHost = host.contains(":") ? "[\(host)]" : host
        return Application(
            responder: SimulatorResponder(github: github, baseURL: baseURL),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let boundPort = channel.localAddress?.port ?? port
                baseURL.set("http://\(displayHost):\(boundPort)")
                logger.debug("simulated GitHub listening", metadata: ["base_url": .string(baseURL.value)])
                await onBound(boundPort)
            },
            logger: logger)
    }
}
