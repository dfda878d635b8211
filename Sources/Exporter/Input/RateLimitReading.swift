import Foundation

/// The last GitHub rate-limit headers seen for one resource (`core`, `search`, …).
public struct RateLimitReading: Sendable, Hashable {
    /// The credential (`default`, a token's name, `ACCOUNT@app-ID`): each has its own rate limit.
    public var credential: String
    public var resource: String
    /// `x-ratelimit-limit`.
    public var limit: Int
    /// `x-ratelimit-remaining`.
    public var remaining: Int
    /// `x-ratelimit-reset`.
    public var reset: Date

    public init(credential: String = "default", resource: String, limit: Int, remaining: Int, reset: Date) {
        self.credential = credential
        self.resource = resource
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
    }
}
