import Foundation

/// The one error of the GitHub client: what went wrong, on which endpoint, what GitHub said and what to do.
///
/// The description never contains the token or the `Authorization` header; it stays short (GitHub's
/// message is truncated) so it can be stored and shown as-is.
public struct GitHubError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: String, Sendable {
        /// 401: the token is missing, wrong or expired.
        case unauthorized
        /// 403 without rate-limit signs: the token lacks a permission.
        case forbidden
        /// 404: the repository, branch or object does not exist or is invisible to the token.
        case notFound
        /// Primary rate limit exhausted and the reset is further away than the configured wait.
        case rateLimited
        /// Secondary rate limit still hit after the configured retries.
        case secondaryRateLimited
        /// 5xx after all retries.
        case server
        /// No answer within the request deadline after all retries.
        case timeout
        /// Connection failures (refused, reset, truncated body) after all retries.
        case transport
        /// A body that is not the JSON expected.
        case malformedResponse
        /// Another 4xx (409 empty repository, 422 validation, 410 retired API version, ...).
        case client
        /// The calling task was cancelled.
        case cancelled
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// Method-less endpoint: path and query (`/repos/o/r/commits?sha=main`).
    public var endpoint: String
    /// The HTTP status, when there was one.
    public var status: Int?
    /// GitHub's `message` (or the underlying failure), truncated.
    public var message: String?
    /// When the primary rate limit resets (for ``Kind/rateLimited``).
    public var resetAt: Date?

    /// Creates an error; `message` is truncated to a bounded length.
    public init(kind: Kind, endpoint: String, status: Int? = nil, message: String? = nil, resetAt: Date? = nil) {
        self.kind = kind
        self.endpoint = String(endpoint.prefix(Self.maximumEndpointLength))
        self.status = status
        self.message = message.map(Self.bounded)
        self.resetAt = resetAt
    }

    public var description: String {
        let target = "GET \(endpoint)"
        let said = saidPart
        switch kind {
        case .unauthorized:
            return "GitHub rejected the token\(said) for \(target): check GITHUB_TOKEN"
        case .forbidden:
            return "GitHub refused access\(said) to \(target): the token lacks permission (needs read access to contents, issues, actions, deployments)"
        case .notFound:
            return "GitHub found nothing\(said) at \(target): repository or branch not found, or the token cannot see it"
        case .rateLimited:
            let when = resetAt.map { " until \(Self.timestamp($0))" } ?? ""
            return "GitHub primary rate limit exhausted\(said) for \(target)\(when): wait for the reset or use a token with a higher limit"
        case .secondaryRateLimited:
            return "GitHub secondary rate limit still hit\(said) for \(target) after retries: reduce concurrency or sync less often"
        case .server:
            return "GitHub failed\(said) for \(target) after retries: retry later (githubstatus.com)"
        case .timeout:
            return "GitHub did not answer in time for \(target) after retries: check the network or raise github.requestTimeout"
        case .transport:
            return "could not talk to GitHub\(said) for \(target) after retries: check the network and the GitHub base URL"
        case .malformedResponse:
            return "GitHub sent an unexpected body\(said) for \(target): check the API version and GitHub base URL"
        case .client:
            return "GitHub rejected the request\(said) for \(target): check the repository settings"
        case .cancelled:
            return "request cancelled for \(target)"
        }
    }

    private var saidPart: String {
        switch (status, message) {
        case (let status?, let message?): " (\(status) \(message))"
        case (let status?, nil): " (\(status))"
        case (nil, let message?): " (\(message))"
        case (nil, nil): ""
        }
    }

    static let maximumMessageLength = 200
    static let maximumEndpointLength = 300

    static func bounded(_ text: String) -> String {
        let singleLine = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        guard singleLine.count > maximumMessageLength else { return singleLine }
        return String(singleLine.prefix(maximumMessageLength)) + "..."
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// Path and query of a URL string; the string itself when it does not parse.
    public static func endpoint(of url: String) -> String {
        guard let components = URLComponents(string: url), components.host != nil else { return url }
        var result = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery, !query.isEmpty { result += "?" + query }
        return result
    }
}
