import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Exporter

/// Clients that trickle or oversize their requests hold only their own connection: scrapes made meanwhile succeed,
/// and the server closes what the limits say.
@Suite("Exporter under slow and oversized requests")
struct ExporterSlowClientTests {
    /// A plain TCP connection to the exporter, for writing arbitrary bytes; what the server sends arrives in `received`.
    struct RawConnection: Sendable {
        let channel: any Channel
        let received: AsyncStream<ByteBuffer>
    }

    /// Passes inbound bytes to a stream that ends when the connection closes.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let continuation: AsyncStream<ByteBuffer>.Continuation

        init(_ continuation: AsyncStream<ByteBuffer>.Continuation) { self.continuation = continuation }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            continuation.yield(unwrapInboundIn(data))
        }

        func channelInactive(context: ChannelHandlerContext) {
            continuation.finish()
            context.fireChannelInactive()
        }
    }

    static func connect(_ port: Int) async throws -> RawConnection {
        let (received, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(continuation)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, received: received)
    }

    /// Everything the server sends until it closes the connection, or nil when `limit` passes first.
    static func readUntilClosed(_ connection: RawConnection, limit: Duration = .seconds(20)) async throws -> String? {
        try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                var received = ""
                for await buffer in connection.received { received += String(buffer: buffer) }
                return received
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// A scrape as Prometheus makes it, on its own connection.
    static func scrape(_ client: HTTPClient, _ port: Int) async throws -> (status: Int, text: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics")
        request.headers.add(name: "Connection", value: "close")
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    @Test("scrapes succeed while slow-loris clients trickle headers and others send an oversized head or body")
    func scrapesWhileAttacked() async throws {
        let holder = SnapshotHolder()
        let snapshot = Fixtures.realisticSnapshot()
        try holder.publish(snapshot)
        let expected = ExpositionRenderer.render(snapshot, format: .prometheusText)
        try await ExporterServerTests.withServer(ExporterServerConfiguration(port: 0), holder: holder) { port in
            // Eight slow-loris connections: a request line and a partial header, one more byte every 50 ms.
            var slow: [RawConnection] = []
            for _ in 0..<8 {
                let connection = try await Self.connect(port)
                try await connection.channel.writeAndFlush(ByteBuffer(string: "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "))
                slow.append(connection)
            }
            let trickle = Task {
                for round in 0..<1_000 where !Task.isCancelled {
                    for connection in slow { connection.channel.writeAndFlush(ByteBuffer(string: "\(round % 10)"), promise: nil) }
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            defer { trickle.cancel() }

            // An oversized head (128 KiB of one header) is answered 400 and closed.
            let oversizedHead = try await Self.connect(port)
            try await oversizedHead.channel.writeAndFlush(
                ByteBuffer(string: "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: \(String(repeating: "a", count: 128 << 10))\r\n\r\n"))
            // A huge declared body, of which only a little is sent, is answered 413 without waiting for the rest.
            let oversizedBody = try await Self.connect(port)
            try await oversizedBody.channel.writeAndFlush(
                ByteBuffer(string: "POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 104857600\r\n\r\n\(String(repeating: "b", count: 8_192))"))

            // Meanwhile, twenty scrapes on fresh connections, ten at a time.
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let replies: [(status: Int, text: String)]
            do {
                replies = try await withThrowingTaskGroup(of: [(status: Int, text: String)].self) { group in
                    for _ in 0..<10 {
                        group.addTask { [try await Self.scrape(client, port), try await Self.scrape(client, port)] }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
            #expect(replies.count == 20)
            for reply in replies {
                #expect(reply.status == 200)
                #expect(reply.text == expected)
            }

            // The slow clients were still connected throughout, and none got an answer.
            for connection in slow { #expect(connection.channel.isActive) }

            let headReply = try #require(await Self.readUntilClosed(oversizedHead), "the server did not close the oversized-head connection")
            #expect(headReply.hasPrefix("HTTP/1.1 400"))
            var bodyReply = ""
            for await buffer in oversizedBody.received {
                bodyReply += String(buffer: buffer)
                if bodyReply.contains("\r\n\r\n") { break }
            }
            #expect(bodyReply.hasPrefix("HTTP/1.1 413"))

            trickle.cancel()
            for connection in slow + [oversizedBody] { try? await connection.channel.close() }
        }
    }

    @Test("a connection that never completes its request head is closed after the idle timeout, plain or TLS", arguments: [false, true])
    func idleTimeoutClosesSlowLoris(tls: Bool) async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let configuration = ExporterServerConfiguration(
            port: 0, tls: tls ? .init(certFile: certificates.server.certFile, keyFile: certificates.server.keyFile) : nil,
            idleTimeout: .milliseconds(300))
        try await ExporterServerTests.withServer(configuration, holder: SnapshotHolder()) { port in
            let connection = try await Self.connect(port)
            // Plain: a partial head. TLS: the start of a ClientHello record that never completes.
            let partial = tls ? ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01]) : ByteBuffer(string: "GET /metrics HTTP/1.1\r\nHost: ")
            do {
                try await connection.channel.writeAndFlush(partial)
            } catch ChannelError.ioOnClosedChannel {
                // On a loaded machine the 300 ms can pass between connecting and writing: the server closed the
                // idle connection first, which is the behaviour under test.
                return
            }
            let received = try await Self.readUntilClosed(connection)
            #expect(received != nil, "the server kept a stalled connection open past the idle timeout")
            #expect(received?.contains("200 OK") != true)
        }
    }

    @Test("HEAD /metrics answers like GET without a body, and basic auth applies to it")
    func headMetrics() async throws {
        let holder = SnapshotHolder()
        try holder.publish(Fixtures.realisticSnapshot())
        let configuration = ExporterServerConfiguration(port: 0, basicAuth: BasicAuthCredentials(user: "prom", password: "s3cr3t"))
        try await ExporterServerTests.withServer(configuration, holder: holder) { port in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                func head(_ authorization: String?) async throws -> HTTPClientResponse {
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics")
                    request.method = .HEAD
                    if let authorization { request.headers.add(name: "Authorization", value: authorization) }
                    return try await client.execute(request, timeout: .seconds(10))
                }
                let get = try await ExporterServerTests.get(port, "/metrics", headers: [("Authorization", "Basic cHJvbTpzM2NyM3Q=")])
                let response = try await head("Basic cHJvbTpzM2NyM3Q=")
                #expect(response.status.code == 200)
                #expect(response.headers.first(name: "content-type") == get.headers["content-type"])
                #expect(response.headers.first(name: "content-length") == String(get.body.count))
                #expect(try await response.body.collect(upTo: 1 << 20).readableBytes == 0)
                let anonymous = try await head(nil)
                #expect(anonymous.status.code == 401)
                _ = try await anonymous.body.collect(upTo: 1 << 20)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}
