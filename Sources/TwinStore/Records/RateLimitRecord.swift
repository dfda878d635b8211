import Foundation

/// The last GitHub rate-limit status the sync saw.
public struct RateLimitRecord: Sendable, Hashable {
    /// The credential it belongs to (`default`, a token's name, `ACCOUNT@app-ID`).
    public var credential: String
    public var resource: String
    public var limit: Int
    public var remaining: Int
    public var used: Int
    public var reset: Date

    public init(credential: String = "default", resource: String, limit: Int, remaining: Int, used: Int, reset: Date) {
        self.credential = credential
        self.resource = resource
        self.limit = limit
        self.remaining = remaining
        self.used = used
        self.reset = reset
    }
}
