import Foundation
import Sync
import Testing

@Suite("Sync summaries grouped by outcome")
struct SyncDigestTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    static func result(_ name: String, _ outcome: SyncOutcome, reason: String? = nil, resetAt: Date? = nil) -> RepositorySyncResult {
        let error = outcome == .success ? nil : "GitHub primary rate limit exhausted for GET /repos/\(name)/commits: wait for the reset"
        return RepositorySyncResult(
            repository: name, outcome: outcome, error: error, startedAt: start, finishedAt: start, reason: reason, resetAt: resetAt)
    }

    @Test("34 rate-limited repositories of 200 read as one line with the count, a few names and the latest reset")
    func rateLimitedRepositoriesAreOneLine() throws {
        let reset = Self.start.addingTimeInterval(1_800)
        let results = (0..<200).map { index in
            index < 166
                ? Self.result("acme/r\(index)", .success)
                : Self.result("acme/r\(index)", .rateLimited, reason: "rateLimited", resetAt: reset.addingTimeInterval(Double(index % 3)))
        }
        let digest = SyncDigest(SyncSummary(repositories: results))
        #expect(digest.groups.map(\.outcome) == [.success, .rateLimited])
        let limited = try #require(digest.problems.first)
        #expect(limited.repositories.count == 34)
        #expect(limited.resetAt == reset.addingTimeInterval(2))
        let line = digest.line(limited)
        #expect(line.hasPrefix("rate_limited: 34 of 200 repositories (acme/r166, acme/r167, acme/r168, acme/r169, acme/r170 and 29 more)"))
        #expect(line.contains("resets at \(reset.addingTimeInterval(2).formatted(.iso8601))"))
        #expect(line.count < 400, "one bounded line, not the message 34 times: \(line.count) characters")
        #expect(digest.line(digest.groups[0]).hasPrefix("success: 166 of 200 repositories"))
    }

    @Test("different failure kinds stay apart; cancelled repositories are one group")
    func failureKindsAreSeparateGroups() {
        let digest = SyncDigest(
            SyncSummary(repositories: [
                Self.result("a/1", .failed, reason: "server"), Self.result("a/2", .failed, reason: "unauthorized"),
                Self.result("a/3", .failed, reason: "server"), Self.result("a/4", .cancelled), Self.result("a/5", .cancelled),
            ]))
        #expect(digest.groups.map { "\($0.outcome.rawValue)/\($0.reason ?? "-")/\($0.repositories.count)" } == ["failed/server/2", "failed/unauthorized/1", "cancelled/-/2"])
        #expect(digest.line(digest.groups[0]).hasPrefix("failed (server): 2 of 5 repositories (a/1, a/3); e.g. "))
    }
}
