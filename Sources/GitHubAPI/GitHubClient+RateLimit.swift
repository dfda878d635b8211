import Foundation

extension GitHubClient {
    /// `GET /rate_limit` (free: it costs no rate-limit point): the credential's `core` budget now. It also becomes
    /// ``lastRateLimit``.
    public func currentRateLimit(tally: RequestTally? = nil) async throws -> RateLimitStatus {
        struct Overview: Decodable {
            struct Core: Decodable {
                var limit: Int
                var remaining: Int
                var used: Int?
                var reset: Int
            }
            struct Resources: Decodable { var core: Core }
            var resources: Resources
        }
        let response = try await get("/rate_limit", tally: tally)
        let core = try decode(Overview.self, from: response).resources.core
        let status = RateLimitStatus(
            limit: core.limit, remaining: core.remaining, used: core.used ?? max(0, core.limit - core.remaining),
            reset: Date(timeIntervalSince1970: TimeInterval(core.reset)), resource: "core")
        record(status)
        return status
    }
}
