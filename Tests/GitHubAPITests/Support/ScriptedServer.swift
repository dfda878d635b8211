import Foundation
import Synchronization

/// A loopback server answering from a script: one canned response per request, the last one repeated.
/// It records what it received.
final class ScriptedServer: Sendable {
    let server: LoopbackServer
    private let state: Mutex<(script: [CannedResponse], received: [ReceivedRequest])>
    /// Opened when the first request arrives.
    let firstRequest = Latch()

    var baseURL: String { server.baseURL }
    var received: [ReceivedRequest] { state.withLock { $0.received } }

    private init(server: LoopbackServer, script: [CannedResponse]) {
        self.server = server
        self.state = Mutex((script, []))
    }

    static func start(_ script: [CannedResponse]) async throws -> ScriptedServer {
        let holder = Holder()
        let server = try await LoopbackServer.start { request, _ in
            guard let scripted = holder.value else { return .respond(status: 500) }
            return scripted.next(for: request)
        }
        let scripted = ScriptedServer(server: server, script: script)
        holder.set(scripted)
        return scripted
    }

    /// Starts, runs `body`, stops.
    static func with<T: Sendable>(_ script: [CannedResponse], _ body: (ScriptedServer) async throws -> T) async throws -> T {
        let server = try await start(script)
        do {
            let result = try await body(server)
            await server.server.stop()
            return result
        } catch {
            await server.server.stop()
            throw error
        }
    }

    private func next(for request: ReceivedRequest) -> CannedResponse {
        let response = state.withLock { state -> CannedResponse in
            state.received.append(request)
            if state.script.count > 1 { return state.script.removeFirst() }
            return state.script.first ?? .respond(status: 500)
        }
        firstRequest.open()
        return response
    }

    private final class Holder: Sendable {
        private let storage = Mutex<ScriptedServer?>(nil)
        var value: ScriptedServer? { storage.withLock { $0 } }
        func set(_ value: ScriptedServer) { storage.withLock { $0 = value } }
    }
}
