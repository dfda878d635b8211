import Foundation
import GitHubAPI
import Testing

@Suite("Retries and rate limits against a scripted loopback server")
struct RetryAndRateLimitTests {
    static let ok = CannedResponse.json(200, #"{"id": 1, "full_name": "o/r", "default_branch": "main"}"#)

    @Test("a 502 then a 200 succeeds after one backoff and both statuses are tallied")
    func retriesServerErrorThenSucceeds() async throws {
        try await ScriptedServer.with([.json(502, #"{"message": "Bad Gateway"}"#), .json(503, "{}"), Self.ok]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, sleeps in
                let tally = RequestTally()
                let response = try await client.get("/repos/o/r", tally: tally)
                #expect(response.status == 200)
                #expect(tally.countsByStatus == ["502": 1, "503": 1, "200": 1])
                #expect(sleeps.recorded == [.seconds(1), .seconds(2)])
                #expect(server.received.count == 3)
            }
        }
    }

    @Test("5xx on every attempt throws .server after maxRetries retries with doubling, capped backoff")
    func serverErrorsExhaustRetries() async throws {
        try await ScriptedServer.with([.json(500, #"{"message": "boom"}"#)]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, configure: {
                $0.maxRetries = 5
                $0.initialBackoff = .seconds(2)
                $0.maximumBackoff = .seconds(10)
            }) { client, sleeps in
                let tally = RequestTally()
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/o/r/commits?sha=main", tally: tally) }
                #expect(error?.kind == .server)
                #expect(error?.status == 500)
                #expect(error?.endpoint == "/repos/o/r/commits?sha=main")
                #expect(sleeps.recorded == [.seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
                #expect(tally.countsByStatus == ["500": 6])
                #expect(server.received.count == 6)
            }
        }
    }

    @Test("429 with retry-after waits exactly that long, then succeeds")
    func honoursRetryAfter() async throws {
        try await ScriptedServer.with([
            .json(429, #"{"message": "You have exceeded a secondary rate limit"}"#, headers: ["retry-after": "17"]), Self.ok,
        ]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, sleeps in
                let tally = RequestTally()
                let response = try await client.get("/repos/o/r", tally: tally)
                #expect(response.status == 200)
                #expect(sleeps.recorded == [.seconds(17)])
                #expect(tally.countsByStatus == ["429": 1, "200": 1])
            }
        }
    }

    @Test("a retry-after longer than maxRateLimitWait throws .secondaryRateLimited without waiting")
    func retryAfterBeyondMaximumWait() async throws {
        try await ScriptedServer.with([.json(403, #"{"message": "secondary rate limit"}"#, headers: ["retry-after": "7200"])]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, sleeps in
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/o/r") }
                #expect(error?.kind == .secondaryRateLimited)
                #expect(error?.resetAt != nil)
                #expect(sleeps.recorded.isEmpty)
                #expect(server.received.count == 1)
            }
        }
    }

    @Test("403 secondary limit without retry-after waits at least 60 s, doubling, capped, then gives up")
    func secondaryBackoffDoublesAndIsCapped() async throws {
        let secondary = CannedResponse.json(
            403, #"{"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"#,
            headers: ["x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4000", "x-ratelimit-reset": "1700000000"])
        try await ScriptedServer.with([secondary]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, configure: {
                $0.maxRetries = 4
                $0.maximumBackoff = .seconds(300)
            }) { client, sleeps in
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/o/r/issues") }
                #expect(error?.kind == .secondaryRateLimited)
                #expect(sleeps.recorded == [.seconds(60), .seconds(120), .seconds(240), .seconds(300)])
                #expect(sleeps.recorded.allSatisfy { $0 >= .seconds(60) })
                #expect(server.received.count == 5)
            }
        }
    }

    @Test("primary exhaustion with a near reset waits until the reset plus a second, then succeeds")
    func primaryShortResetWaits() async throws {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let exhausted = CannedResponse.json(
            403, #"{"message": "API rate limit exceeded for user ID 1."}"#,
            headers: [
                "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-used": "5000",
                "x-ratelimit-reset": "1700000120", "x-ratelimit-resource": "core",
            ])
        let clock = FakeClock(start)
        try await ScriptedServer.with([exhausted, Self.ok]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, clock: clock) { client, sleeps in
                let response = try await client.get("/repos/o/r")
                #expect(response.status == 200)
                #expect(sleeps.recorded == [.seconds(121)])
                #expect(clock.now >= Date(timeIntervalSince1970: 1_700_000_120))
            }
        }
    }

    @Test("primary exhaustion with a far reset throws .rateLimited with resetAt and does not wait")
    func primaryLongResetThrows() async throws {
        let exhausted = CannedResponse.json(
            429, #"{"message": "API rate limit exceeded"}"#,
            headers: ["x-ratelimit-limit": "60", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700003600"])
        let clock = FakeClock(Date(timeIntervalSince1970: 1_700_000_000))
        try await ScriptedServer.with([exhausted]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, clock: clock) { client, sleeps in
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/o/r") }
                #expect(error?.kind == .rateLimited)
                #expect(error?.resetAt == Date(timeIntervalSince1970: 1_700_003_600))
                #expect(sleeps.recorded.isEmpty)
                #expect(client.lastRateLimit?.remaining == 0)
                #expect(client.lastRateLimit?.limit == 60)
                #expect(error?.description.contains("2023-11-14T23:13:20Z") == true)
            }
        }
    }

    @Test("rate-limit headers of each response land in lastRateLimit")
    func parsesRateLimitHeaders() async throws {
        let response = CannedResponse.json(
            200, "[]",
            headers: [
                "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4321", "x-ratelimit-used": "679",
                "x-ratelimit-reset": "1700000000", "x-ratelimit-resource": "core",
            ])
        try await ScriptedServer.with([response]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, _ in
                #expect(client.lastRateLimit == nil)
                let answer = try await client.get("/repos/o/r/tags")
                let expected = RateLimitStatus(
                    limit: 5000, remaining: 4321, used: 679, reset: Date(timeIntervalSince1970: 1_700_000_000), resource: "core")
                #expect(answer.rateLimit == expected)
                #expect(client.lastRateLimit == expected)
            }
        }
    }
}
