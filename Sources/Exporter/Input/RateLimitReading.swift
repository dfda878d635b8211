import Foundation

/// The last GitHub rate-limit headers seen for one resource (`core`, `search`, …).
public struct RateLimitReading: Sendable, Hashable {
    public var resource: String
    /// `x-ratelimit-limit`.
    public var limit: Int
    /// `x-ratelimit-remaining`.
    public var remaining: Int
    /// `x-ratelimit-reset`.
    public var reset: Date

    public init(resource: String, limit: Int, remaining: Int, reset: Date) {
        self.resource = resource
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
    }
}
