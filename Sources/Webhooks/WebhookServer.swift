import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The webhook receiver's own HTTP listener (`webhooks.listenAddress`) as a `Service`: `POST /webhooks/github`
/// only, so the metrics port is never exposed to GitHub. Bodies over `maxBodyBytes` are refused before they are
/// read whole; request heads are capped and idle connections closed, as on the exporter.
public struct WebhookServer: Service {
    public static let path = "/webhooks/github"
    public static let alertPath = "/webhooks/alertmanager"

    let host: String
    let port: Int
    let maxBodyBytes: Int
    let receiver: WebhookReceiver
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void
    let server: HTTPServerBuilder?
    /// `POST /webhooks/alertmanager`, when `webhooks.alertmanager` is configured.
    public var alerts: AlertReceiver?

    /// - Parameters:
    ///   - server: how connections are served (HTTPS with the exporter's certificate); nil: plain HTTP/1.1.
    ///   - onListening: called once the server listens, with the bound port (the chosen one for port 0).
    public init(
        host: String, port: Int, maxBodyBytes: Int, receiver: WebhookReceiver, logger: Logger, server: HTTPServerBuilder? = nil,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.server = server
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.receiver = receiver
        self.logger = logger
        self.onListening = onListening
    }

    static let event = HTTPField.Name("X-GitHub-Event")!
    static let delivery = HTTPField.Name("X-GitHub-Delivery")!
    static let signature = HTTPField.Name("X-Hub-Signature-256")!
    static let forwardedFrom = HTTPField.Name(ForwardedDelivery.forwardedFromHeader)!

    /// The receiver's routes; usable on its own (tests, benchmarks) or through `run()`.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let receiver = self.receiver
        let maxBodyBytes = self.maxBodyBytes
        router.post(RouterPath(Self.path)) { request, _ -> Response in
            let event = request.headers[Self.event]
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
                return Self.response(receiver.refuseTooLarge(event: event, maxBytes: maxBodyBytes))
            }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: maxBodyBytes)
            } catch {
                return Self.response(receiver.refuseTooLarge(event: event, maxBytes: maxBodyBytes))
            }
            let answer = receiver.receive(
                event: event, delivery: request.headers[Self.delivery], signature: request.headers[Self.signature],
                body: Array(body.readableBytesView), forwardedFrom: request.headers[Self.forwardedFrom])
            return Self.response(answer)
        }
        if let alerts { addAlertRoute(to: router, alerts) }
        return router
    }

    /// Alertmanager's and Grafana's notifications, answered only once stored (`AlertReceiver`).
    private func addAlertRoute(to router: Router<BasicRequestContext>, _ alerts: AlertReceiver) {
        let maxBodyBytes = self.maxBodyBytes
        router.post(RouterPath(Self.alertPath)) { request, _ -> Response in
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
                return Self.response(alerts.refuseTooLarge(maxBytes: maxBodyBytes))
            }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: maxBodyBytes)
            } catch {
                return Self.response(alerts.refuseTooLarge(maxBytes: maxBodyBytes))
            }
            let answer = await alerts.receive(authorization: request.headers[.authorization], body: Array(body.readableBytesView))
            return Self.response(status: answer.status, message: answer.message)
        }
    }

    static func response(_ answer: AlertReceiver.Answer) -> Response { response(status: answer.status, message: answer.message) }

    static func response(_ answer: WebhookReceiver.Answer) -> Response { response(status: answer.status, message: answer.message) }

    static func response(status: Int, message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }

    public func run() async throws {
        let onListening = self.onListening
        let logger = self.logger
        let port = self.port
        let http1 = HTTP1Channel.Configuration(
            idleTimeout: .seconds(30),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: 16_384, maxHeaderListSize: 16_384, maxHeaderFieldCount: 100))
        let application = Application(
            router: router(), server: server ?? .http1(configuration: http1),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "devops-twin"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.debug("webhook receiver listening", metadata: ["port": "\(bound)", "path": "\(Self.path)"])
                await onListening(bound)
            },
            logger: logger)
        do {
            try await application.run()
        } catch let error as IOError where [EADDRINUSE, EADDRNOTAVAIL, EACCES].contains(error.errnoCode) {
            throw WebhookError(
                "cannot listen on \(host):\(port) for webhooks (\(error)); choose another webhooks.listenAddress")
        }
    }
}

/// A webhook receiver failure that stops the daemon, with what to do.
public struct WebhookError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
