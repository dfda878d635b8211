import Foundation
import Synchronization

/// Replays the GET exchanges of an octokit fixture scenario on loopback. Requests are matched by
/// path and query; repeated paths answer their recordings in order. `api.github.com` URLs in `link`
/// and `location` headers are rewritten to this server.
final class ReplayServer: Sendable {
    let server: LoopbackServer
    private let served = Mutex<[String]>([])

    var baseURL: String { server.baseURL }
    var servedPaths: [String] { served.withLock { $0 } }

    private init(server: LoopbackServer) { self.server = server }

    static func with<T: Sendable>(_ scenario: String, raw: Bool = false, _ body: (ReplayServer) async throws -> T) async throws -> T {
        let all = try Fixtures.entries(scenario, raw: raw)
        let onlyGets = all.filter { $0.method == "GET" }
        let gets = onlyGets.isEmpty ? all : onlyGets
        let recordings = gets.map { entry in
            Recording(
                path: entry.path, status: entry.status,
                headers: entry.headers.filter { !["content-length", "connection", "transfer-encoding", "content-encoding"].contains($0.0.lowercased()) },
                body: String(decoding: entry.bodyData, as: UTF8.self))
        }
        let queue = Mutex(recordings)
        let log = Holder()
        let server = try await LoopbackServer.start { request, box in
            let base = box.server?.baseURL ?? ""
            let recording = queue.withLock { queue -> Recording? in
                guard let index = queue.firstIndex(where: { $0.path == request.pathAndQuery }) else { return nil }
                let found = queue[index]
                // Keep the last recording of a path so that it can be asked again.
                if queue.filter({ $0.path == request.pathAndQuery }).count > 1 { queue.remove(at: index) }
                return found
            }
            log.value?.served.withLock { $0.append(request.pathAndQuery) }
            guard let recording else { return .json(404, #"{"message": "Not Found (no recording)"}"#) }
            var headers: [String: String] = [:]
            for (name, value) in recording.headers {
                let rewritten = value.replacingOccurrences(of: "https://api.github.com", with: base)
                let key = name.lowercased()
                headers[key] = headers[key].map { $0 + ", " + rewritten } ?? rewritten
            }
            return .respond(status: recording.status, headers: headers, body: recording.body)
        }
        let replay = ReplayServer(server: server)
        log.set(replay)
        do {
            let result = try await body(replay)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    private struct Recording: Sendable {
        var path: String
        var status: Int
        var headers: [(String, String)]
        var body: String
    }

    private final class Holder: Sendable {
        private let storage = Mutex<ReplayServer?>(nil)
        var value: ReplayServer? { storage.withLock { $0 } }
        func set(_ value: ReplayServer) { storage.withLock { $0 = value } }
    }
}
