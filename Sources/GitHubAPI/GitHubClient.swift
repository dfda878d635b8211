import AsyncHTTPClient
import Backoff
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import Synchronization

/// GitHub REST client: authenticated, serialised GETs with redirects, conditional requests,
/// rate-limit handling and bounded retries.
///
/// Give it an `HTTPClient` configured with `redirectConfiguration: .disallow` (see
/// ``GitHubClient/httpClientConfiguration()``) so that 301s can be reported; redirects that
/// the `HTTPClient` followed by itself are still recognised from the response history.
public final class GitHubClient: Sendable {
    /// The settings this client was made with.
    public let configuration: GitHubClientConfiguration
    let httpClient: HTTPClient
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> Date
    private let gate = AsyncGate()
    private let rateLimitState = Mutex<RateLimitStatus?>(nil)
    /// Tokens the provider handed out, for redaction (only the latest few are kept).
    private let providedTokens = Mutex<[String]>([])

    /// Creates a client. `sleep` performs every wait (backoff, rate limits); `now` is compared with rate-limit resets.
    public init(
        configuration: GitHubClientConfiguration, httpClient: HTTPClient, logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.sleep = sleep
        self.now = now
    }

    /// An `HTTPClient` configuration suited to this client: redirects left to the client, 10 s connect timeout.
    public static func httpClientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(10)
        return configuration
    }

    /// The rate-limit headers of the latest response that carried them.
    public var lastRateLimit: RateLimitStatus? {
        rateLimitState.withLock { $0 }
    }

    func record(_ status: RateLimitStatus) {
        rateLimitState.withLock { $0 = status }
    }

    /// GET a path relative to the base URL (`/repos/o/r/commits?sha=main&per_page=100`) or an absolute URL
    /// (a `Link` rel="next" URL, followed verbatim). Returns 2xx or 304; every other outcome throws ``GitHubError``.
    /// Requests through one client are serialised (one in flight).
    public func get(_ pathOrURL: String, ifNoneMatch etag: String? = nil, tally: RequestTally? = nil) async throws -> GitHubResponse {
        try await send("GET", pathOrURL, etag: etag, tally: tally)
    }

    /// POST without a body (`/app/installations/{id}/access_tokens`), with the same handling as ``get(_:ifNoneMatch:tally:)``.
    public func post(_ pathOrURL: String, tally: RequestTally? = nil) async throws -> GitHubResponse {
        try await send("POST", pathOrURL, etag: nil, tally: tally)
    }

    private func send(_ method: String, _ pathOrURL: String, etag: String?, tally: RequestTally?) async throws -> GitHubResponse {
        let url = resolve(pathOrURL)
        do {
            return try await gate.withGate {
                try await self.perform(url: url, method: method, etag: etag, tally: tally)
            }
        } catch let error as GitHubError {
            throw error
        } catch {
            // Only cancellation reaches here (the gate and `perform` map everything else).
            throw GitHubError(kind: .cancelled, endpoint: redacted(GitHubError.endpoint(of: url)))
        }
    }

    /// Decodes a response body; failures throw `GitHubError(kind: .malformedResponse)` naming the endpoint and field.
    /// An empty 204 answer (some list endpoints send it instead of `[]`) decodes as an empty list.
    public func decode<T: Decodable>(_ type: T.Type, from response: GitHubResponse) throws -> T {
        let body = response.status == 204 && response.body.isEmpty ? Data("[]".utf8) : response.body
        return try GitHubJSON.decode(type, from: body, endpoint: redacted(response.endpoint), status: response.status)
    }

    // MARK: - Request loop

    /// The bearer token of the next request: the provider's (refreshed by it), else the configured one.
    private func bearerToken(endpoint: String) async throws -> String? {
        guard let provider = configuration.tokenProvider else { return configuration.token }
        do {
            let token = try await provider.currentToken()
            providedTokens.withLock { tokens in
                if tokens.last != token {
                    tokens.append(token)
                    if tokens.count > 4 { tokens.removeFirst() }
                }
            }
            return token
        } catch let error as GitHubError {
            throw error
        } catch {
            if Task.isCancelled { throw GitHubError(kind: .cancelled, endpoint: endpoint) }
            throw GitHubError(kind: .unauthorized, endpoint: endpoint, message: redacted("no token: \(error)"))
        }
    }

    private func perform(url: String, method: String, etag: String?, tally: RequestTally?) async throws -> GitHubResponse {
        var currentURL = url
        var renewedToken = false
        var movedTo: String?
        var redirects = 0
        var transientRetries = 0
        var secondaryRetries = 0
        var primaryWaits = 0
        while true {
            let endpoint = redacted(GitHubError.endpoint(of: currentURL))
            if Task.isCancelled { throw GitHubError(kind: .cancelled, endpoint: endpoint) }
            let exchange: Exchange
            let token = try await bearerToken(endpoint: endpoint)
            do {
                exchange = try await self.exchange(url: currentURL, method: method, etag: etag, token: token)
            } catch {
                if Task.isCancelled || error is CancellationError {
                    throw GitHubError(kind: .cancelled, endpoint: endpoint)
                }
                let failure = Self.classify(transportError: error)
                tally?.record(status: nil)
                logger.debug(
                    "github request failed",
                    metadata: ["endpoint": "\(endpoint)", "error": "\(failure.kind.rawValue)", "attempt": "\(transientRetries + 1)"])
                if failure.retryable, transientBackoff.allows(retry: transientRetries) {
                    transientRetries += 1
                    try await pause(transientBackoff.delay(retry: transientRetries), endpoint: endpoint)
                    continue
                }
                throw GitHubError(kind: failure.kind, endpoint: endpoint, message: redacted(failure.message))
            }

            // Redirects the HTTPClient followed by itself: count them and keep the permanent target.
            for hop in exchange.followedHops {
                tally?.record(status: hop.status)
                if hop.status == 301 || hop.status == 308 { movedTo = hop.target }
            }
            tally?.record(status: exchange.status)
            let rateLimit = RateLimitStatus.parse(header: exchange.header)
            if let rateLimit { rateLimitState.withLock { $0 = rateLimit } }
            let finalEndpoint = redacted(GitHubError.endpoint(of: exchange.url))
            logger.debug(
                "github response",
                metadata: [
                    "endpoint": "\(finalEndpoint)", "status": "\(exchange.status)",
                    "remaining": "\(rateLimit.map { String($0.remaining) } ?? "-")",
                ])

            let status = exchange.status
            let message = exchange.gitHubMessage.map(redacted)
            switch status {
            case 200..<300, 304:
                return GitHubResponse(
                    status: status, body: status == 304 ? Data() : exchange.body, etag: exchange.header("etag"),
                    links: exchange.header("link").map(LinkHeader.parse) ?? [:], rateLimit: rateLimit,
                    url: exchange.url, movedPermanentlyTo: movedTo)
            case 301, 302, 303, 307, 308:
                guard let location = exchange.header("location"),
                    let target = URL(string: location, relativeTo: URL(string: exchange.url))?.absoluteString
                else {
                    throw GitHubError(kind: .client, endpoint: finalEndpoint, status: status, message: "redirect without location")
                }
                guard redirects < configuration.maxRedirects else {
                    throw GitHubError(kind: .client, endpoint: finalEndpoint, status: status, message: "too many redirects")
                }
                redirects += 1
                if status == 301 || status == 308 { movedTo = target }
                currentURL = target
            case 401:
                // An installation token expired (or was revoked) early: get a new one and try once more.
                if let provider = configuration.tokenProvider, let token, !renewedToken {
                    renewedToken = true
                    await provider.invalidate(token)
                    logger.debug("github token refused; renewing it", metadata: ["endpoint": "\(finalEndpoint)"])
                    continue
                }
                throw GitHubError(kind: .unauthorized, endpoint: finalEndpoint, status: status, message: message)
            case 403, 429:
                let lowered = (message ?? "").lowercased()
                let mentionsSecondary = lowered.contains("secondary rate limit") || lowered.contains("abuse")
                if let retryAfter = exchange.header("retry-after").flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                    // A retry-after beyond the longest acceptable wait is not slept through.
                    guard secondaryRetries < configuration.maxRetries,
                        Duration.seconds(retryAfter) <= configuration.maxRateLimitWait
                    else {
                        throw GitHubError(
                            kind: .secondaryRateLimited, endpoint: finalEndpoint, status: status, message: message,
                            resetAt: now().addingTimeInterval(TimeInterval(max(0, retryAfter))))
                    }
                    secondaryRetries += 1
                    try await pause(.seconds(max(0, retryAfter)), endpoint: finalEndpoint)
                } else if let rateLimit, rateLimit.remaining == 0 {
                    let untilReset = rateLimit.reset.timeIntervalSince(now())
                    guard Duration.seconds(max(0, untilReset)) <= configuration.maxRateLimitWait,
                        primaryWaits < configuration.maxRetries
                    else {
                        throw GitHubError(
                            kind: .rateLimited, endpoint: finalEndpoint, status: status, message: message, resetAt: rateLimit.reset)
                    }
                    primaryWaits += 1
                    logger.debug(
                        "github primary rate limit wait",
                        metadata: ["endpoint": "\(finalEndpoint)", "reset": "\(GitHubError.timestamp(rateLimit.reset))"])
                    try await pause(.seconds(max(0, untilReset.rounded(.up))) + .seconds(1), endpoint: finalEndpoint)
                } else if mentionsSecondary || status == 429 {
                    guard secondaryBackoff.allows(retry: secondaryRetries) else {
                        throw GitHubError(kind: .secondaryRateLimited, endpoint: finalEndpoint, status: status, message: message)
                    }
                    secondaryRetries += 1
                    try await pause(secondaryBackoff.delay(retry: secondaryRetries), endpoint: finalEndpoint)
                } else {
                    throw GitHubError(kind: .forbidden, endpoint: finalEndpoint, status: status, message: message)
                }
            case 404:
                throw GitHubError(kind: .notFound, endpoint: finalEndpoint, status: status, message: message)
            case 500...:
                guard transientBackoff.allows(retry: transientRetries) else {
                    throw GitHubError(kind: .server, endpoint: finalEndpoint, status: status, message: message)
                }
                transientRetries += 1
                try await pause(transientBackoff.delay(retry: transientRetries), endpoint: finalEndpoint)
            default:
                throw GitHubError(kind: .client, endpoint: finalEndpoint, status: status, message: message)
            }
        }
    }

    /// Waits through the injected sleep; any failure of the sleep is cancellation.
    private func pause(_ duration: Duration, endpoint: String) async throws {
        do {
            try await sleep(duration)
        } catch {
            throw GitHubError(kind: .cancelled, endpoint: endpoint)
        }
        if Task.isCancelled { throw GitHubError(kind: .cancelled, endpoint: endpoint) }
    }

    /// After a 5xx answer, a timeout or a connection error: `initialBackoff`, doubled, capped at `maximumBackoff`.
    var transientBackoff: BackoffPolicy {
        BackoffPolicy(initial: configuration.initialBackoff, maximum: configuration.maximumBackoff, maxRetries: configuration.maxRetries)
    }

    /// After a secondary rate limit without `retry-after`: at least `minimumSecondaryWait`, doubled, capped at
    /// `maximumBackoff` (but never below the minimum).
    var secondaryBackoff: BackoffPolicy {
        BackoffPolicy(
            initial: configuration.minimumSecondaryWait, maximum: configuration.maximumBackoff, maxRetries: configuration.maxRetries)
    }

    /// Appends a path to the base URL; absolute URLs are used verbatim.
    func resolve(_ pathOrURL: String) -> String {
        let lowered = pathOrURL.lowercased()
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") { return pathOrURL }
        if pathOrURL.hasPrefix("/") { return configuration.baseURL + pathOrURL }
        return configuration.baseURL + "/" + pathOrURL
    }

    /// Removes the token from text that may end up in errors or logs.
    func redacted(_ text: String) -> String {
        var result = text
        for token in [configuration.token].compactMap({ $0 }) + providedTokens.withLock({ $0 }) where !token.isEmpty {
            result = result.replacingOccurrences(of: token, with: "[redacted]")
        }
        return result
    }
}
