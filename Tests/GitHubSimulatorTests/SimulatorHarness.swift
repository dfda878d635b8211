import AsyncHTTPClient
import Foundation
import GitHubSimulator
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// A started simulator plus an HTTP client that does not follow redirects, torn down by `run`.
struct SimulatorHarness {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data

        func json() throws -> Any { try JSONSerialization.jsonObject(with: body) }
        var array: [[String: Any]] { ((try? json()) as? [[String: Any]]) ?? [] }
        var object: [String: Any] { ((try? json()) as? [String: Any]) ?? [:] }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
        var links: [String: String] {
            guard let value = header("link") else { return [:] }
            var result: [String: String] = [:]
            for part in value.split(separator: ",") {
                let pieces = part.split(separator: ";")
                guard pieces.count == 2 else { continue }
                let url = pieces[0].trimmingCharacters(in: CharacterSet(charactersIn: " <>"))
                let rel = pieces[1].replacingOccurrences(of: "rel=", with: "").trimmingCharacters(in: CharacterSet(charactersIn: " \""))
                result[rel] = url
            }
            return result
        }
    }

    let server: GitHubSimulatorServer
    let client: HTTPClient
    var github: SimulatedGitHub { server.github }
    var baseURL: String { server.baseURL }

    @discardableResult
    static func run<T>(
        _ github: SimulatedGitHub, _ body: (SimulatorHarness) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "simulator-test")
        logger.logLevel = .critical
        let server = try await GitHubSimulatorServer.start(github: github, logger: logger)
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let harness = SimulatorHarness(server: server, client: client)
        do {
            let result = try await body(harness)
            try await client.shutdown()
            await server.stop()
            return result
        } catch {
            try? await client.shutdown()
            await server.stop()
            throw error
        }
    }

    /// GET a path relative to the base URL, or an absolute URL.
    func get(
        _ pathOrURL: String, headers: [(String, String)] = [], method: HTTPMethod = .GET, body: Data? = nil,
        timeout: TimeAmount = .seconds(20)
    ) async throws -> Reply {
        let url = pathOrURL.hasPrefix("http") ? pathOrURL : baseURL + pathOrURL
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "simulator-tests")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        var collected: [String: String] = [:]
        for header in response.headers { collected[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: collected, body: Data(buffer: bytes))
    }

    /// Follows `link rel="next"` from `path`, returning every page.
    func walk(_ path: String, itemsKey: String? = nil) async throws -> (pages: [Reply], items: [[String: Any]]) {
        var pages: [Reply] = []
        var items: [[String: Any]] = []
        var next: String? = path
        while let url = next, pages.count < 500 {
            let reply = try await get(url)
            guard reply.status == 200 else { throw HarnessError(message: "GET \(url) answered \(reply.status)") }
            pages.append(reply)
            if let itemsKey {
                items += reply.object[itemsKey] as? [[String: Any]] ?? []
            } else {
                items += reply.array
            }
            next = reply.links["next"]
        }
        return (pages, items)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

enum Fixtures {
    /// 2024-06-01T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_717_243_200)

    static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Real repository histories (provenance and licences: `Tests/Fixtures/README.md`).
    static func history(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures/histories/\(name)-history.json")
    }

    static func repository(commits: Int, seed: UInt64 = 42, owner: String = "acme", name: String = "widgets") -> SimulatedRepository {
        SimulatedRepository.generated(owner: owner, name: name, seed: seed, commits: commits, now: now)
    }
}
