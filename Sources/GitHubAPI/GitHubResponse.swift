import Foundation

/// A successful (2xx) or not-modified (304) answer from GitHub.
public struct GitHubResponse: Sendable {
    /// 200 (or another 2xx such as 204), or 304 when the `If-None-Match` ETag still matched.
    public var status: Int
    /// The body; empty for 304.
    public var body: Data
    /// The `etag` header, verbatim (quotes and `W/` kept), to send back as `If-None-Match`.
    public var etag: String?
    /// The `Link` rel="next" URL, followed verbatim for the next page.
    public var nextURL: String?
    /// All `Link` relations: rel (lower-cased) -> URL.
    public var links: [String: String]
    /// Rate-limit headers of this response.
    public var rateLimit: RateLimitStatus?
    /// The URL finally answered (after redirects).
    public var url: String
    /// Set when a 301 was followed (repository renamed or transferred): the new location.
    public var movedPermanentlyTo: String?

    /// Creates a response from its parts.
    public init(
        status: Int, body: Data, etag: String? = nil, links: [String: String] = [:],
        rateLimit: RateLimitStatus? = nil, url: String, movedPermanentlyTo: String? = nil
    ) {
        self.status = status
        self.body = body
        self.etag = etag
        self.nextURL = links["next"]
        self.links = links
        self.rateLimit = rateLimit
        self.url = url
        self.movedPermanentlyTo = movedPermanentlyTo
    }

    /// True for 304 Not Modified.
    public var isNotModified: Bool { status == 304 }

    /// Path and query of ``url`` (what errors and logs name).
    public var endpoint: String { GitHubError.endpoint(of: url) }
}
