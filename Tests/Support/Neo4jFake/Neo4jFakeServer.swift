import Foundation
import Hummingbird
import Logging
import Synchronization

/// Serves a `FakeNeo4j` over HTTP on loopback (port 0 = any free port). `stop()` then `restart()` brings the
/// same port down and up again (connections refused in between).
public final class Neo4jFakeServer: Sendable {
    public let neo4j: FakeNeo4j
    private let logger: Logger
    private let running = Mutex<(task: Task<Void, any Error>?, port: Int)>((nil, 0))

    private init(neo4j: FakeNeo4j, logger: Logger) {
        self.neo4j = neo4j
        self.logger = logger
    }

    /// Starts a server for `neo4j` on `127.0.0.1:port`.
    public static func start(
        neo4j: FakeNeo4j, port: Int = 0, logger: Logger = Logger(label: "neo4j-fake", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> Neo4jFakeServer {
        let server = Neo4jFakeServer(neo4j: neo4j, logger: logger)
        try await server.listen(port: port)
        return server
    }

    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }
    public var port: Int { running.withLock { $0.port } }

    /// Stops listening: requests are refused until `restart()`.
    public func stop() async {
        let task = running.withLock { state -> Task<Void, any Error>? in
            defer { state.task = nil }
            return state.task
        }
        neo4j.clearFaults()
        task?.cancel()
        _ = await task?.result
    }

    /// Listens again on the same port.
    public func restart() async throws {
        try await listen(port: port)
    }

    private func listen(port: Int) async throws {
        let neo4j = self.neo4j
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let body = try await request.body.collect(upTo: 1 << 30)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let answer = neo4j.handle(
                method: request.method.rawValue, path: request.uri.path, headers: headers, body: Data(buffer: body))
            if answer.hang {
                await neo4j.waitForRelease()
                return Response(status: .serviceUnavailable)
            }
            var responseHeaders = HTTPFields()
            // No keep-alive: a stopped fake refuses the next request at once instead of waiting for idle connections.
            responseHeaders[.connection] = "close"
            if !answer.body.isEmpty { responseHeaders[.contentType] = "application/json" }
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: responseHeaders,
                body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        var bound: Int?
        for await value in stream {
            bound = value
            break
        }
        guard let bound, bound > 0 else {
            task.cancel()
            _ = await task.result
            throw FakeCypherFailure(code: "Fake.Server", message: "the fake could not listen on port \(port)")
        }
        running.withLock { $0 = (task, bound) }
    }
}
