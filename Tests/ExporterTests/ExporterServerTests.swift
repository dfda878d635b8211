import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Testing

@testable import Exporter

/// A real exporter on 127.0.0.1, port 0, driven with AsyncHTTPClient.
@Suite("Exporter HTTP server")
struct ExporterServerTests {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Runs the server in a ServiceGroup, calls `body` with its port, then shuts it down gracefully.
    static func withServer(
        _ configuration: ExporterServerConfiguration = ExporterServerConfiguration(port: 0), holder: SnapshotHolder,
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let logger = Logger(label: "exporter-test")
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = try ExporterServer(configuration: configuration, holder: holder, logger: logger) { continuation.yield($0) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// No automatic decompression: the test sees the bytes the server sent.
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(decompression: .disabled))

    static func get(_ port: Int, _ path: String, headers: [(String, String)] = [], body: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.method = .POST
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        var headerMap: [String: String] = [:]
        for header in response.headers { headerMap[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: headerMap, body: Data(buffer.readableBytesView))
    }

    /// Decompresses with the system's gzip, independently of the code under test.
    static func gunzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "gzip -dc failed")
        return result
    }

    @Test("ready once a snapshot is published (serving), and /metrics serves both formats, plain and gzip")
    func servesMetrics() async throws {
        let holder = SnapshotHolder()
        try await Self.withServer(holder: holder) { port in
            let notReady = try await Self.get(port, "/readyz")
            #expect(notReady.status == 503)
            #expect(notReady.text == "not ready: no metrics snapshot published yet (the store has not been read; the log says why)\n")
            let metrics = try await Self.get(port, "/metrics")
            #expect(metrics.status == 503 && metrics.text == notReady.text)
            let health = try await Self.get(port, "/healthz")
            #expect(health.status == 200 && health.text == "ok\n")

            let snapshot = Fixtures.realisticSnapshot()
            try holder.publish(snapshot)
            #expect(try await Self.get(port, "/readyz").status == 200)

            let plain = try await Self.get(port, "/metrics")
            #expect(plain.status == 200)
            #expect(plain.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(plain.headers["content-encoding"] == nil)
            #expect(plain.headers["vary"] == "Accept, Accept-Encoding")
            #expect(plain.text == ExpositionRenderer.render(snapshot, format: .prometheusText))

            let openMetrics = try await Self.get(port, "/metrics", headers: [("Accept", ContentNegotiationTests.prometheusAccept)])
            #expect(openMetrics.headers["content-type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(openMetrics.text == ExpositionRenderer.render(snapshot, format: .openMetrics))
            #expect(openMetrics.text.hasSuffix("# EOF\n"))

            for (accept, format) in [("text/plain", ExpositionFormat.prometheusText), ("application/openmetrics-text", .openMetrics)] {
                let gzipped = try await Self.get(port, "/metrics", headers: [("Accept", accept), ("Accept-Encoding", "gzip")])
                #expect(gzipped.headers["content-encoding"] == "gzip")
                #expect(gzipped.headers["content-type"] == format.contentType)
                #expect(gzipped.body.count < plain.body.count)
                let decoded = try Self.gunzip(gzipped.body)
                #expect(String(decoding: decoded, as: UTF8.self) == ExpositionRenderer.render(snapshot, format: format))
            }

            let index = try await Self.get(port, "/")
            #expect(index.status == 200)
            #expect(index.headers["content-type"] == "text/html; charset=utf-8")
            for link in ["/metrics", "/healthz", "/readyz"] { #expect(index.text.contains("href=\"\(link)\"")) }
        }
    }

    @Test("/ serves the index before the first snapshot, then the status page rendered at publish time")
    func statusPage() async throws {
        let holder = SnapshotHolder()
        try await Self.withServer(holder: holder) { port in
            let index = try await Self.get(port, "/")
            #expect(index.status == 200)
            #expect(index.headers["content-type"] == "text/html; charset=utf-8")
            #expect(index.text.contains("No snapshot yet"))
            for link in ["/metrics", "/healthz", "/readyz"] { #expect(index.text.contains("href=\"\(link)\"")) }

            let content = StatusPageRendererTests.content()
            try holder.publish(Fixtures.realisticSnapshot(), statusPage: content)
            let page = try await Self.get(port, "/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.text == StatusPageRenderer.render(content))
            #expect(page.text.contains("acme/api"))
            for link in ["/metrics", "/healthz", "/readyz"] { #expect(page.text.contains("href=\"\(link)\"")) }
        }
    }

    @Test("a new snapshot replaces the served one and removed repositories disappear")
    func snapshotSwap() async throws {
        let holder = SnapshotHolder()
        try holder.publish(Fixtures.realisticSnapshot())
        try await Self.withServer(holder: holder) { port in
            #expect(try await Self.get(port, "/metrics").text.contains("quoted"))
            try holder.publish(Fixtures.realisticSnapshot(repositories: ["acme/api"]))
            let after = try await Self.get(port, "/metrics")
            #expect(!after.text.contains("quoted"))
            #expect(after.text.contains("repository=\"acme/api\""))
        }
    }

    @Test("basic auth guards /metrics and the status page (same numbers), with 401 and WWW-Authenticate; probes stay open")
    func basicAuth() async throws {
        let holder = SnapshotHolder()
        try holder.publish(Fixtures.realisticSnapshot(), statusPage: StatusPageRendererTests.content())
        let configuration = ExporterServerConfiguration(port: 0, basicAuth: BasicAuthCredentials(user: "prom", password: "s3cr3t"))
        try await Self.withServer(configuration, holder: holder) { port in
            let anonymous = try await Self.get(port, "/metrics")
            #expect(anonymous.status == 401)
            #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Basic realm=") == true)
            #expect(!anonymous.text.contains("devops_twin_"))
            let wrong = try await Self.get(port, "/metrics", headers: [("Authorization", "Basic cHJvbTp3cm9uZw==")])  // prom:wrong
            #expect(wrong.status == 401)
            let right = try await Self.get(port, "/metrics", headers: [("Authorization", "Basic cHJvbTpzM2NyM3Q=")])  // prom:s3cr3t
            #expect(right.status == 200)
            #expect(right.text.contains("devops_twin_build_info"))
            let anonymousPage = try await Self.get(port, "/")
            #expect(anonymousPage.status == 401)
            #expect(anonymousPage.headers["www-authenticate"]?.hasPrefix("Basic realm=") == true)
            #expect(!anonymousPage.text.contains("acme/api"))
            let page = try await Self.get(port, "/", headers: [("Authorization", "Basic cHJvbTpzM2NyM3Q=")])
            #expect(page.status == 200)
            #expect(page.text.contains("acme/api"))
            #expect(try await Self.get(port, "/healthz").status == 200)
            #expect(try await Self.get(port, "/readyz").status == 200)
        }
    }

    @Test("a request body over the limit is answered 413")
    func bodyLimit() async throws {
        let holder = SnapshotHolder()
        try await Self.withServer(ExporterServerConfiguration(port: 0, maxRequestBodyBytes: 16), holder: holder) { port in
            let large = try await Self.get(port, "/healthz", body: String(repeating: "x", count: 1_000))
            #expect(large.status == 413)
        }
    }
}
