import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Hummingbird responder that hands every request to a ``SimulatedGitHub`` and delivers its answer,
/// including the faults that break the connection.
struct SimulatorResponder: HTTPResponder {
    typealias Context = SimulatorRequestContext

    struct TruncatedOnPurpose: Error {}

    let github: SimulatedGitHub
    /// The server's base URL, known once the server is bound.
    let baseURL: BaseURLBox

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        var body: [UInt8] = []
        if request.method == .post || request.method == .put {
            let buffer = try await request.collectBody(upTo: context.maxUploadSize)
            body = Array(buffer.readableBytesView)
        }
        let simulated = SimulatedHTTPRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
            authorization: request.headers[.authorization], ifNoneMatch: request.headers[.ifNoneMatch], body: body)
        let answer = await github.handle(simulated, baseURL: baseURL.value)
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        switch answer.disposition {
        case .reset:
            try? await context.channel.close(mode: .all)
            return Response(status: .internalServerError)
        case .truncate:
            let full = answer.body
            headers[.contentLength] = String(full.count + 64)
            let partial = ByteBuffer(bytes: full.prefix(max(1, full.count / 2)))
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: headers,
                body: ResponseBody(contentLength: full.count + 64) { writer in
                    try await writer.write(partial)
                    throw TruncatedOnPurpose()
                })
        case .normal:
            let status = HTTPResponse.Status(code: answer.status)
            if answer.status == 304 || answer.status == 204 {
                return Response(status: status, headers: headers, body: ResponseBody())
            }
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
    }
}

/// The base URL of a running server, set once it has bound its port.
final class BaseURLBox: Sendable {
    private let storage: Mutex<String>

    init(_ value: String) {
        storage = Mutex(value)
    }

    var value: String { storage.withLock { $0 } }

    func set(_ value: String) {
        storage.withLock { $0 = value }
    }
}
