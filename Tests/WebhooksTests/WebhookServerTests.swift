import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

@testable import Webhooks

/// The receiver over real HTTP on loopback.
@Suite struct WebhookServerTests {
    /// Runs `body` with a receiver listening on a free loopback port.
    static func withServer(
        maxBodyBytes: Int = 4096, _ body: (String, CoalescingQueue, WebhookStatistics, HTTPClient) async throws -> Void
    ) async throws {
        let (receiver, queue, statistics, _) = try WebhookFixtures.receiver()
        let (ports, port) = AsyncStream.makeStream(of: Int.self)
        let server = WebhookServer(
            host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes, receiver: receiver, logger: Logger(label: "test"),
            onListening: { port.yield($0) })
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let bound = try #require(await iterator.next())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body("http://127.0.0.1:\(bound)", queue, statistics, client)
        } catch {
            try? await client.shutdown()
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
        try await client.shutdown()
        await group.triggerGracefulShutdown()
        try await running.value
    }

    static func post(
        _ client: HTTPClient, _ url: String, event: String, delivery: String, body: [UInt8], signature: String?
    ) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-GitHub-Event", value: event)
        request.headers.add(name: "X-GitHub-Delivery", value: delivery)
        if let signature { request.headers.add(name: "X-Hub-Signature-256", value: signature) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        let text = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: text))
    }

    @Test func deliveriesAreAnsweredOverHTTP() async throws {
        try await Self.withServer { base, queue, statistics, client in
            let url = base + WebhookServer.path
            let body = WebhookFixtures.push("demo/app", ref: "refs/heads/main")
            let (accepted, _) = try await Self.post(client, url, event: "push", delivery: "1", body: body, signature: WebhookFixtures.signature(body))
            #expect(accepted == 202)
            let (refused, message) = try await Self.post(
                client, url, event: "push", delivery: "2", body: body, signature: WebhookFixtures.signature(body, secret: "nope"))
            #expect(refused == 401)
            #expect(message.contains("secret"))
            #expect(!message.contains(WebhookFixtures.signature(body)))
            let ping = WebhookFixtures.payload(["zen": "Avoid administrative distraction.", "hook_id": 3])
            #expect(try await Self.post(client, url, event: "ping", delivery: "3", body: ping, signature: WebhookFixtures.signature(ping)).0 == 200)
            #expect(try await Self.post(client, base + "/metrics", event: "push", delivery: "4", body: body, signature: nil).0 == 404)
            #expect(queue.depth == 1)
            #expect(statistics.snapshot.signatureFailures == [.mismatch: 1])
        }
    }

    @Test func aBodyOverTheLimitIsRefusedWith413() async throws {
        try await Self.withServer(maxBodyBytes: 1024) { base, queue, statistics, client in
            let body = WebhookFixtures.payload([
                "ref": "refs/heads/main", "repository": WebhookFixtures.repository("demo/app"), "padding": String(repeating: "x", count: 2000),
            ])
            let (status, message) = try await Self.post(
                client, base + WebhookServer.path, event: "push", delivery: "big", body: body, signature: WebhookFixtures.signature(body))
            #expect(status == 413)
            #expect(message.contains("webhooks.maxBodyBytes"))
            #expect(queue.depth == 0)
            #expect(statistics.snapshot.deliveries[.push]?[.tooLarge] == 1)
        }
    }
}
