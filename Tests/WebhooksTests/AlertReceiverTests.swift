import AsyncHTTPClient
import Dora
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

@testable import Webhooks

/// `POST /webhooks/alertmanager` over real HTTP on loopback, storing into a recording closure.
@Suite struct AlertReceiverTests {
    static let token = "alert-token-for-tests"

    /// What the store closure was given, and whether it fails.
    final class Stored: Sendable {
        let batches = Mutex<[[AlertSignalRecord]]>([])
        let failing = Mutex(false)
    }

    static func withServer(
        credential: AlertReceiver.Credential = .bearer(token: token), maxBodyBytes: Int = 8192,
        _ body: (String, Stored, AlertReceiverStatistics, HTTPClient) async throws -> Void
    ) async throws {
        let (receiver, _, _, _) = try WebhookFixtures.receiver()
        let stored = Stored()
        let statistics = AlertReceiverStatistics()
        let (ports, port) = AsyncStream.makeStream(of: Int.self)
        var server = WebhookServer(
            host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes, receiver: receiver, logger: Logger(label: "test"),
            onListening: { port.yield($0) })
        server.alerts = AlertReceiver(credential: credential, statistics: statistics, logger: Logger(label: "test")) { records in
            struct Failure: Error {}
            if stored.failing.withLock({ $0 }) { throw Failure() }
            stored.batches.withLock { $0.append(records) }
        }
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let bound = try #require(await iterator.next())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body("http://127.0.0.1:\(bound)\(WebhookServer.alertPath)", stored, statistics, client)
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

    static func post(_ client: HTTPClient, _ url: String, _ body: String, authorization: String? = "Bearer \(token)") async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    /// An Alertmanager version 4 notification (as `webhook_configs` sends it).
    static func alertmanager(_ alerts: String, version: String = "4") -> String {
        #"{"receiver":"devops-twin","status":"firing","alerts":[\#(alerts)],"groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","version":"\#(version)","groupKey":"{}:{}","truncatedAlerts":0}"#
    }

    static let firing = #"{"status":"firing","labels":{"alertname":"HighErrorRate","repository":"acme/shop"},"annotations":{},"startsAt":"2026-01-02T03:04:05.123456789Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://127.0.0.1:9090/graph?g0.expr=up","fingerprint":"c0ffee"}"#
    static let resolved = #"{"status":"resolved","labels":{"alertname":"HighErrorRate","repository":"acme/shop"},"annotations":{},"startsAt":"2026-01-02T04:04:05.123+01:00","endsAt":"2026-01-02T03:10:00Z","generatorURL":"","fingerprint":"c0ffee"}"#

    @Test func alertmanagerNotificationsAreStoredBeforeTheAnswer() async throws {
        try await Self.withServer { url, stored, statistics, client throws in
            #expect(try await Self.post(client, url, Self.alertmanager(Self.firing)).0 == 200)
            #expect(try await Self.post(client, url, Self.alertmanager(Self.resolved)).0 == 200)
            let batches = stored.batches.withLock { $0 }
            #expect(batches.count == 2)
            let first = try #require(batches.first?.first)
            #expect(first.fingerprint == "c0ffee" && first.endsAt == nil && first.alertName == "HighErrorRate")
            #expect(abs(first.startsAt.timeIntervalSince1970 - 1_767_323_045.123456789) < 1e-6)
            #expect(first.generatorURL == "http://127.0.0.1:9090/graph?g0.expr=up")
            let second = try #require(batches.last?.first)
            // The same start in another offset, and the resolution's end.
            #expect(second.startsAt.timeIntervalSince1970 == 1_767_323_045.123)
            #expect(second.endsAt == Date(timeIntervalSince1970: 1_767_323_400))
            #expect(statistics.notifications["stored"] == 2 && statistics.alertsStored == 2)
        }
    }

    @Test func grafanaNotificationsAreTheSameShapeWithGrafanaFields() async throws {
        let alert = #"{"status":"firing","labels":{"alertname":"Latency","service":"checkout"},"annotations":{},"startsAt":"2026-01-02T03:04:05Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"","silenceURL":"x","dashboardURL":"","panelURL":"http://grafana/d/abc?viewPanel=2","values":{"B":1},"valueString":"[ var='B' value=1 ]"}"#
        let body = #"{"receiver":"dt","status":"firing","orgId":1,"alerts":[\#(alert)],"groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://grafana/","version":"1","groupKey":"k","truncatedAlerts":0,"title":"[FIRING:1]","state":"alerting","message":"m"}"#
        try await Self.withServer { url, stored, _, client throws in
            #expect(try await Self.post(client, url, body).0 == 200)
            let record = try #require(stored.batches.withLock { $0.first?.first })
            #expect(record.fingerprint == AlertFingerprint.of(labels: ["alertname": "Latency", "service": "checkout"]))
            #expect(record.generatorURL == "http://grafana/d/abc?viewPanel=2")
        }
    }

    @Test func badInputGetsItsOwnStatusAndCounterAndNothingIsStored() async throws {
        try await Self.withServer(maxBodyBytes: 2048) { url, stored, statistics, client throws in
            let good = Self.alertmanager(Self.firing)
            #expect(try await Self.post(client, url, good, authorization: "Bearer wrong").0 == 401)
            #expect(try await Self.post(client, url, good, authorization: nil).0 == 401)
            #expect(try await Self.post(client, url, "{not json").0 == 400)
            #expect(try await Self.post(client, url, Self.alertmanager(Self.firing.replacingOccurrences(of: "2026-01-02T03:04:05.123456789Z", with: "yesterday"))).0 == 400)
            #expect(try await Self.post(client, url, Self.alertmanager(String(repeating: Self.firing + ",", count: 10) + Self.firing)).0 == 413)
            #expect(try await Self.post(client, url, Self.alertmanager(Self.firing, version: "5")).0 == 415)
            let labelless = #"{"status":"firing","labels":{},"startsAt":"2026-01-02T03:04:05Z","endsAt":"0001-01-01T00:00:00Z"}"#
            #expect(try await Self.post(client, url, Self.alertmanager(Self.firing + "," + labelless)).0 == 422)
            #expect(stored.batches.withLock { $0.isEmpty })
            let counts = statistics.notifications
            #expect(counts["unauthorized"] == 2 && counts["malformed"] == 2 && counts["too_large"] == 1)
            #expect(counts["unsupported_version"] == 1 && counts["no_labels"] == 1 && counts["stored"] == 0)
        }
    }

    @Test func aStoreFailureIsA503SoAlertmanagerRetries() async throws {
        try await Self.withServer { url, stored, statistics, client throws in
            stored.failing.withLock { $0 = true }
            #expect(try await Self.post(client, url, Self.alertmanager(Self.firing)).0 == 503)
            stored.failing.withLock { $0 = false }
            #expect(try await Self.post(client, url, Self.alertmanager(Self.firing)).0 == 200)
            #expect(statistics.notifications["store_failed"] == 1)
        }
    }

    @Test func basicAuthIsChecked() async throws {
        try await Self.withServer(credential: .basic(user: "am", password: "pw")) { url, stored, _, client throws in
            let good = "Basic " + Data("am:pw".utf8).base64EncodedString()
            let bad = "Basic " + Data("am:px".utf8).base64EncodedString()
            #expect(try await Self.post(client, url, Self.alertmanager(Self.firing), authorization: bad).0 == 401)
            #expect(try await Self.post(client, url, Self.alertmanager(Self.firing), authorization: good).0 == 200)
            #expect(stored.batches.withLock { $0.count } == 1)
        }
    }
}
