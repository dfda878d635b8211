import Hummingbird
import Logging
import ServiceLifecycle

/// The exporter's HTTP server as a swift-service-lifecycle `Service`: run it in the daemon's `ServiceGroup`;
/// graceful shutdown stops accepting connections and finishes the requests in flight.
public struct ExporterServer: Service {
    public let configuration: ExporterServerConfiguration
    private let holder: SnapshotHolder
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// - Parameter onListening: called once the server listens, with the bound port (the chosen one for port 0).
    public init(
        configuration: ExporterServerConfiguration, holder: SnapshotHolder, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws(ExporterError) {
        try configuration.validate()
        self.configuration = configuration
        self.holder = holder
        self.logger = logger
        self.onListening = onListening
    }

    /// The Hummingbird application serving the exporter's routes.
    public func makeApplication() -> some ApplicationProtocol {
        let onListening = self.onListening
        let logger = self.logger
        let port = configuration.port
        return Application(
            router: ExporterRoutes.router(holder: holder, configuration: configuration),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "devops-twin"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.debug("exporter listening", metadata: ["port": "\(bound)"])
                await onListening(bound)
            },
            logger: logger
        )
    }

    /// Serves until cancelled or gracefully shut down.
    public func run() async throws {
        try await makeApplication().run()
    }
}
