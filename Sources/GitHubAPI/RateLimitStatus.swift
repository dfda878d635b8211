import Foundation

/// The primary rate-limit window GitHub reported in `x-ratelimit-*` headers.
public struct RateLimitStatus: Sendable, Hashable {
    /// Requests allowed per window (`x-ratelimit-limit`).
    public var limit: Int
    /// Requests left in the window (`x-ratelimit-remaining`).
    public var remaining: Int
    /// Requests used in the window (`x-ratelimit-used`).
    public var used: Int
    /// When the window resets (`x-ratelimit-reset`, epoch seconds).
    public var reset: Date
    /// The bucket counted against (`x-ratelimit-resource`, e.g. `core`).
    public var resource: String

    /// Creates a status from its parts.
    public init(limit: Int, remaining: Int, used: Int, reset: Date, resource: String) {
        self.limit = limit
        self.remaining = remaining
        self.used = used
        self.reset = reset
        self.resource = resource
    }

    /// Reads the `x-ratelimit-*` headers; `nil` unless limit, remaining and reset are present and numeric.
    /// `header` looks a header up case-insensitively.
    public static func parse(header: (String) -> String?) -> RateLimitStatus? {
        func int(_ name: String) -> Int? {
            header(name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        guard let limit = int("x-ratelimit-limit"), let remaining = int("x-ratelimit-remaining"),
            let reset = header("x-ratelimit-reset").flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) })
        else { return nil }
        let used = int("x-ratelimit-used") ?? max(0, limit - remaining)
        let resource = header("x-ratelimit-resource")?.trimmingCharacters(in: .whitespaces) ?? "core"
        return RateLimitStatus(
            limit: limit, remaining: remaining, used: used,
            reset: Date(timeIntervalSince1970: reset), resource: resource.isEmpty ? "core" : resource)
    }
}
