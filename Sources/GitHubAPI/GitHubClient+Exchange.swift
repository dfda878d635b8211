import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

extension GitHubClient {
    /// One HTTP request/response pair, body fully read.
    struct Exchange: Sendable {
        struct Hop: Sendable {
            var status: Int
            var target: String
        }

        var status: Int
        var headers: [String: String]
        var body: Data
        var url: String
        var followedHops: [Hop]

        func header(_ name: String) -> String? {
            headers[name.lowercased()]
        }

        /// GitHub's `message` from a JSON error body.
        var gitHubMessage: String? {
            struct Body: Decodable { var message: String? }
            guard !body.isEmpty, let decoded = try? JSONDecoder().decode(Body.self, from: body) else { return nil }
            return decoded.message
        }
    }

    struct TransportFailure {
        var kind: GitHubError.Kind
        var retryable: Bool
        var message: String
    }

    private struct DeadlineExceeded: Error {}

    /// Sends one request with GitHub's headers and reads the whole body within `requestTimeout`.
    func exchange(url: String, method: String = "GET", etag: String?, token: String?) async throws -> Exchange {
        var request = HTTPClientRequest(url: url)
        request.method = method == "POST" ? .POST : .GET
        request.headers.add(name: "Accept", value: "application/vnd.github+json")
        request.headers.add(name: "X-GitHub-Api-Version", value: configuration.apiVersion)
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        if let token, !token.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let etag { request.headers.add(name: "If-None-Match", value: etag) }

        let prepared = request
        let timeout = configuration.requestTimeout
        let maxBytes = configuration.maxResponseBytes
        let client = httpClient
        let components = timeout.components
        let nanoseconds = components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
        let deadline = NIODeadline.now() + .nanoseconds(max(1, nanoseconds))

        return try await withThrowingTaskGroup(of: Exchange?.self) { group in
            group.addTask {
                let response = try await client.execute(prepared, deadline: deadline)
                let buffer = try await response.body.collect(upTo: maxBytes)
                var headers: [String: String] = [:]
                for (name, value) in response.headers {
                    let key = name.lowercased()
                    if let existing = headers[key] {
                        headers[key] = existing + ", " + value
                    } else {
                        headers[key] = value
                    }
                }
                var hops: [Exchange.Hop] = []
                let history = response.history
                if history.count > 1 {
                    for index in 0..<(history.count - 1) {
                        hops.append(.init(status: Int(history[index].responseHead.status.code), target: history[index + 1].request.url))
                    }
                }
                return Exchange(
                    status: Int(response.status.code), headers: headers, body: Data(buffer: buffer),
                    url: history.last?.request.url ?? url, followedHops: hops)
            }
            group.addTask {
                // Backstop for the body phase; AHC's deadline covers the head.
                try await Task.sleep(for: timeout + .milliseconds(50))
                throw DeadlineExceeded()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let exchange = first else { throw DeadlineExceeded() }
            return exchange
        }
    }

    /// Maps an AHC/NIO error to a kind, whether it is worth retrying, and a short message.
    static func classify(transportError error: any Error) -> TransportFailure {
        if error is DeadlineExceeded {
            return TransportFailure(kind: .timeout, retryable: true, message: "no answer within the request timeout")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
                return TransportFailure(kind: .timeout, retryable: true, message: "no answer within the request timeout")
            case .cancelled:
                return TransportFailure(kind: .cancelled, retryable: false, message: "cancelled")
            case .remoteConnectionClosed:
                return TransportFailure(kind: .transport, retryable: true, message: "connection closed before the answer was complete")
            case .invalidURL, .emptyHost, .emptyScheme:
                return TransportFailure(kind: .transport, retryable: false, message: "invalid URL: check the GitHub base URL")
            default:
                return TransportFailure(kind: .transport, retryable: true, message: GitHubError.bounded(String(describing: error)))
            }
        }
        if error is NIOTooManyBytesError {
            return TransportFailure(kind: .malformedResponse, retryable: false, message: "response body too large")
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return TransportFailure(kind: .timeout, retryable: true, message: "connect timeout")
        }
        return TransportFailure(kind: .transport, retryable: true, message: GitHubError.bounded(String(describing: error)))
    }
}
