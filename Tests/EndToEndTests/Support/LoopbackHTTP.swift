import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// GETs against servers the tests start on loopback (the exporter, Prometheus).
enum LoopbackHTTP {
    static func get(_ url: String, timeout: Int64 = 10) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(timeout))
        return String(buffer: try await response.body.collect(upTo: 16 << 20))
    }

    /// The exporter's `/metrics` text, or nil while it does not answer.
    static func metrics(port: Int) async -> String? {
        try? await get("http://127.0.0.1:\(port)/metrics", timeout: 5)
    }

    /// Polls `/metrics` (bounded) until `condition` holds; nil when it never did.
    static func waitForMetrics(port: Int, timeout: TimeInterval = 90, until condition: (String) -> Bool) async throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = await metrics(port: port), condition(text) { return text }
            try await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }
}
