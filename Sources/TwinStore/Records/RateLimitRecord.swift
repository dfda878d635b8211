import Foundation

/// The last GitHub rate-limit status the sync saw.
public struct RateLimitRecord: Sendable, Hashable {
    public var resource: String
    public var limit: Int
    public var remaining: Int
    public var used: Int
    public var reset: Date

    public init(resource: String, limit: Int, remaining: Int, used: Int, reset: Date) {
        self.resource = resource
        self.limit = limit
        self.remaining = remaining
        self.used = used
        self.reset = reset
    }
}
