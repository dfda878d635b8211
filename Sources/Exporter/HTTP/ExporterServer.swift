import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle

/// The exporter's HTTP server as a swift-service-lifecycle `Service`: run it in the daemon's `ServiceGroup`;
/// graceful shutdown stops accepting connections and finishes the requests in flight.
///
/// Serves HTTPS when the configuration has TLS, plain HTTP otherwise. Every connection is handled on the event
/// loop without a thread of its own, so a client trickling its request or sending an oversized one holds only
/// its own connection: request heads are capped (`maxHeaderBytes`), bodies too (`maxRequestBodyBytes`), and a
/// connection that completes no request part within `idleTimeout` is closed.
public struct ExporterServer: Service {
    public let configuration: ExporterServerConfiguration
    private let holder: SnapshotHolder
    private let logger: Logger
    private let server: HTTPServerBuilder
    private let onListening: @Sendable (Int) async -> Void

    /// Validates the configuration and, with TLS, reads the certificate and key files.
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
        self.server = try Self.serverBuilder(configuration)
    }

    /// HTTP/1.1, over TLS when `configuration` has it, with the exporter's header cap and idle timeout: also what
    /// the webhook receiver serves with when it reuses the exporter's certificate (`webhooks.useExporterTLS`).
    public static func serverBuilder(_ configuration: ExporterServerConfiguration) throws(ExporterError) -> HTTPServerBuilder {
        let http1 = HTTP1Channel.Configuration(
            idleTimeout: .nanoseconds(Self.nanoseconds(configuration.idleTimeout)),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: configuration.maxHeaderBytes, maxHeaderListSize: configuration.maxHeaderBytes,
                maxHeaderFieldCount: 100))
        guard let tls = configuration.tls else { return .http1(configuration: http1) }
        let tlsConfiguration = try tls.makeServerTLSConfiguration()
        do {
            return try .tls(.http1(configuration: http1), tlsConfiguration: tlsConfiguration)
        } catch {
            throw ExporterError(.invalidConfiguration, "the TLS settings are unusable (\(error)): check exporter.tls")
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
            ? .max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The Hummingbird application serving the exporter's routes.
    public func makeApplication() -> some ApplicationProtocol {
        let onListening = self.onListening
        let logger = self.logger
        let port = configuration.port
        let scheme = configuration.scheme
        return Application(
            router: ExporterRoutes.router(holder: holder, configuration: configuration),
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "devops-twin"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.debug("exporter listening", metadata: ["port": "\(bound)", "scheme": "\(scheme)"])
                await onListening(bound)
            },
            logger: logger
        )
    }

    /// Serves until cancelled or gracefully shut down. A listen address that cannot be bound throws
    /// ``ExporterError/Kind/bindFailed``, recognised by NIO's error and its errno, not by its text.
    public func run() async throws {
        do {
            try await makeApplication().run()
        } catch let error as IOError where Self.bindErrnos.contains(error.errnoCode) {
            let address = "\(configuration.host):\(configuration.port)"
            let reason =
                switch error.errnoCode {
                case EADDRINUSE: "is in use by another process"
                case EACCES: "needs privileges this process lacks"
                default: "is not an address of this host"
                }
            throw ExporterError(.bindFailed, "cannot listen on \(address): the address \(reason) (\(error))")
        }
    }

    /// The errors of `bind(2)` that the listen address causes.
    static let bindErrnos: Set<CInt> = [EADDRINUSE, EADDRNOTAVAIL, EACCES]
}
