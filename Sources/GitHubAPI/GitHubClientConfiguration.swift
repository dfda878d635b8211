/// Settings of a ``GitHubClient``: where GitHub is, how to authenticate and how patient to be.
///
/// The token is only ever sent in the `Authorization` header; it is never logged nor put in errors.
public struct GitHubClientConfiguration: Sendable {
    /// API root without a trailing slash: `https://api.github.com` or `https://HOST/api/v3` (GHES).
    public var baseURL: String
    /// Bearer token (PAT, App installation token, `GITHUB_TOKEN`); `nil` sends unauthenticated requests.
    public var token: String?
    /// Tokens that change over time (GitHub App JWTs, installation tokens); when set, it replaces `token`, and a
    /// 401 makes the client ask it for a new token and retry once.
    public var tokenProvider: (any GitHubTokenProvider)?
    /// Value of `X-GitHub-Api-Version`.
    public var apiVersion: String
    /// Value of `User-Agent` (mandatory on github.com).
    public var userAgent: String
    /// Deadline of each HTTP call (connect, send, receive the whole body).
    public var requestTimeout: Duration
    /// Retries after 5xx answers, timeouts and connection errors, and after secondary rate limits.
    public var maxRetries: Int
    /// Longest wait for a primary rate-limit reset; a later reset throws ``GitHubError/Kind/rateLimited``.
    public var maxRateLimitWait: Duration
    /// Shortest wait after a secondary rate limit without `retry-after`.
    public var minimumSecondaryWait: Duration
    /// Cap of every exponential backoff.
    public var maximumBackoff: Duration
    /// First backoff after a 5xx/timeout/connection error; doubled on each further retry.
    public var initialBackoff: Duration
    /// Redirect hops followed per request before giving up.
    public var maxRedirects: Int
    /// Largest response body accepted, in bytes.
    public var maxResponseBytes: Int

    /// Creates a configuration with the defaults (API version 2022-11-28, 30 s deadline, 4 retries).
    public init(baseURL: String, token: String? = nil) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.tokenProvider = nil
        self.apiVersion = "2022-11-28"
        self.userAgent = "devops-twin"
        self.requestTimeout = .seconds(30)
        self.maxRetries = 4
        self.maxRateLimitWait = .seconds(900)
        self.minimumSecondaryWait = .seconds(60)
        self.maximumBackoff = .seconds(300)
        self.initialBackoff = .seconds(1)
        self.maxRedirects = 5
        self.maxResponseBytes = 64 * 1024 * 1024
    }
}
