import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// What a test server saw of one request.
struct ReceivedRequest: Sendable {
    var method: String
    var pathAndQuery: String
    var headers: [String: String]

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// A canned answer of a test server.
enum CannedResponse: Sendable {
    /// A complete response.
    case respond(status: Int, headers: [String: String] = [:], body: String = "")
    /// Declares `declaredLength` bytes but sends only `body`, then drops the connection.
    case truncated(body: String, declaredLength: Int)
    /// Never answers until the server stops.
    case hang

    static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> CannedResponse {
        .respond(status: status, headers: headers.merging(["content-type": "application/json; charset=utf-8"]) { a, _ in a }, body: body)
    }
}

/// A real HTTP/1.1 server on 127.0.0.1 with an ephemeral port (Hummingbird), answering through a closure.
final class LoopbackServer: Sendable {
    let port: Int
    private let task: Task<Void, any Error>
    /// Opened on stop; hanging handlers return then.
    let stopping = Latch()

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    static func start(_ handler: @escaping @Sendable (ReceivedRequest, LoopbackServer.Box) async throws -> CannedResponse) async throws -> LoopbackServer {
        let box = Box()
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var headers: [String: String] = [:]
            for field in request.headers {
                let key = field.name.canonicalName.lowercased()
                headers[key] = headers[key].map { $0 + ", " + field.value } ?? field.value
            }
            let received = ReceivedRequest(method: request.method.rawValue, pathAndQuery: request.uri.description, headers: headers)
            let canned = try await handler(received, box)
            return await Self.render(canned, stopping: box.server?.stopping)
        }
        var logger = Logger(label: "test-loopback-server")
        logger.logLevel = .critical
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let task = Task { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        let server = LoopbackServer(port: port, task: task)
        box.set(server)
        return server
    }

    func stop() async {
        stopping.open()
        task.cancel()
        _ = try? await task.value
    }

    private static func render(_ canned: CannedResponse, stopping: Latch?) async -> Response {
        switch canned {
        case .respond(let status, let headers, let body):
            var fields = HTTPFields()
            for (name, value) in headers {
                if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
            }
            return Response(
                status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
        case .truncated(let body, let declaredLength):
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            fields[.contentLength] = String(declaredLength)
            return Response(
                status: .ok, headers: fields,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: body))
                    throw TruncatedOnPurpose()
                })
        case .hang:
            await stopping?.wait()
            return Response(status: .serviceUnavailable)
        }
    }

    private struct TruncatedOnPurpose: Error {}

    /// Lets the handler reach the server (set right after start).
    final class Box: Sendable {
        private let storage = Mutex<LoopbackServer?>(nil)
        var server: LoopbackServer? { storage.withLock { $0 } }
        func set(_ server: LoopbackServer) { storage.withLock { $0 = server } }
    }
}
