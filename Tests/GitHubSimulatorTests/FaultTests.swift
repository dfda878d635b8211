import Foundation
import GitHubSimulator
import NIOCore
import Testing

@Suite("Injected faults")
struct FaultTests {
    static let repository = Fixtures.repository(commits: 300)

    @Test("a status fault answers that status with a GitHub error body, without using the rate limit", arguments: [500, 502, 503])
    func statusFault(code: Int) async throws {
        let github = SimulatedGitHub(repositories: [Self.repository])
        github.inject(.status(code))
        try await SimulatorHarness.run(github) { harness in
            let reply = try await harness.get("/repos/acme/widgets/commits")
            #expect(reply.status == code)
            #expect(reply.object["message"] is String)
            #expect(github.rateLimitRemaining == 5000)
            #expect(try await harness.get("/repos/acme/widgets/commits").status == 200)
            #expect(github.requestLog.first?.fault == "status")
        }
    }

    @Test("a secondary rate limit answers 403 or 429 with GitHub's message and retry-after when given", arguments: [
        (403, 30 as Int?), (429, 5), (403, nil),
    ])
    func secondaryRateLimit(status: Int, retryAfter: Int?) async throws {
        let github = SimulatedGitHub(repositories: [Self.repository])
        github.inject(.secondaryRateLimit(retryAfter: retryAfter, statusCode: status))
        try await SimulatorHarness.run(github) { harness in
            let reply = try await harness.get("/repos/acme/widgets/tags")
            #expect(reply.status == status)
            #expect((reply.object["message"] as? String)?.contains("You have exceeded a secondary rate limit") == true)
            #expect(reply.header("retry-after") == retryAfter.map(String.init))
            #expect(reply.header("x-ratelimit-remaining") != "0")
        }
    }

    @Test("primary exhaustion leaves zero requests until its reset, then the window refills")
    func primaryExhaustion() async throws {
        let clock = ManualClock(Fixtures.now)
        let github = SimulatedGitHub(repositories: [Self.repository], clock: { clock.now })
        github.inject(.primaryExhaustion(resetIn: 120))
        try await SimulatorHarness.run(github) { harness in
            let hit = try await harness.get("/repos/acme/widgets/tags")
            #expect(hit.status == 403)
            #expect(hit.header("x-ratelimit-remaining") == "0")
            #expect(hit.header("x-ratelimit-reset") == String(Int(Fixtures.now.timeIntervalSince1970) + 120))
            let still = try await harness.get("/repos/acme/widgets/tags")
            #expect(still.status == 403)
            #expect((still.object["message"] as? String)?.contains("API rate limit exceeded") == true)
            clock.advance(by: 121)
            let after = try await harness.get("/repos/acme/widgets/tags")
            #expect(after.status == 200)
            #expect(after.header("x-ratelimit-remaining") == "4999")
        }
    }

    @Test("malformed JSON is answered with 200 and a body that does not parse")
    func malformedJSON() async throws {
        let github = SimulatedGitHub(repositories: [Self.repository])
        github.inject(.malformedJSON(pathContains: "/commits"))
        try await SimulatorHarness.run(github) { harness in
            let reply = try await harness.get("/repos/acme/widgets/commits")
            #expect(reply.status == 200)
            #expect(throws: (any Error).self) { try reply.json() }
        }
    }

    @Test("a truncated body and a reset connection surface as transport errors", arguments: [
        SimulatedFault.truncatedBody(), SimulatedFault.connectionReset(),
    ])
    func brokenConnections(fault: SimulatedFault) async throws {
        let github = SimulatedGitHub(repositories: [Self.repository])
        github.inject(fault)
        try await SimulatorHarness.run(github) { harness in
            await #expect(throws: (any Error).self) { try await harness.get("/repos/acme/widgets/commits") }
            let recovered = try await harness.get("/repos/acme/widgets/commits")
            #expect(recovered.status == 200)
            #expect(github.requestLog.first?.fault != nil)
        }
    }

    @Test("a slow answer exceeds a short client deadline")
    func slowAnswer() async throws {
        let github = SimulatedGitHub(repositories: [Self.repository])
        github.inject(.slow(seconds: 1))
        try await SimulatorHarness.run(github) { harness in
            await #expect(throws: (any Error).self) {
                try await harness.get("/repos/acme/widgets/tags", timeout: .milliseconds(150))
            }
        }
    }

    @Test("an unauthorized fault answers 401 even with a good token")
    func unauthorizedFault() async throws {
        let github = SimulatedGitHub(repositories: [Self.repository], requiredToken: "t")
        github.inject(.unauthorized())
        try await SimulatorHarness.run(github) { harness in
            let reply = try await harness.get("/repos/acme/widgets", headers: [("Authorization", "Bearer t")])
            #expect(reply.status == 401)
            #expect(reply.object["message"] as? String == "Bad credentials")
        }
    }

    @Test("skip lets matching requests through first and count limits the hits; other paths are untouched")
    func skipAndCount() async throws {
        let github = SimulatedGitHub(repositories: [Self.repository])
        github.inject(.status(500, pathContains: "/tags", skip: 1, count: 2))
        try await SimulatorHarness.run(github) { harness in
            var statuses: [Int] = []
            for _ in 0..<4 {
                statuses.append(try await harness.get("/repos/acme/widgets/tags").status)
                statuses.append(try await harness.get("/repos/acme/widgets/releases").status)
            }
            #expect(statuses == [200, 200, 500, 200, 500, 200, 200, 200])
        }
    }

    @Test("faults can be managed over HTTP and the request log read back")
    func controlEndpoints() async throws {
        let github = SimulatedGitHub(repositories: [Self.repository])
        try await SimulatorHarness.run(github) { harness in
            let body = Data(#"[{"kind":"status","status":503,"pathContains":"/commits","count":5},{"kind":"secondaryRateLimit","retryAfter":7,"pathContains":"/tags"}]"#.utf8)
            let added = try await harness.get("/_simulator/faults", method: .POST, body: body)
            #expect(added.status == 201)
            #expect(try await harness.get("/repos/acme/widgets/commits").status == 503)
            let tags = try await harness.get("/repos/acme/widgets/tags")
            #expect(tags.status == 403 && tags.header("retry-after") == "7")
            #expect(try await harness.get("/_simulator/faults", method: .DELETE).status == 204)
            #expect(try await harness.get("/repos/acme/widgets/commits").status == 200)
            let log = try await harness.get("/_simulator/requests")
            let entries = log.array
            #expect(entries.compactMap { $0["status"] as? Int } == [503, 403, 200])
            #expect(entries.first?["pathAndQuery"] as? String == "/repos/acme/widgets/commits")
            let bad = try await harness.get("/_simulator/faults", method: .POST, body: Data(#"{"kind":"explode"}"#.utf8))
            #expect(bad.status == 400)
        }
    }

    @Test("faults round-trip through their JSON form", arguments: [
        SimulatedFault.status(502, pathContains: "/x", skip: 2, count: 3), .secondaryRateLimit(retryAfter: nil, statusCode: 429),
        .primaryExhaustion(resetIn: 60), .malformedJSON(), .truncatedBody(), .slow(seconds: 0.5), .unauthorized(), .connectionReset(),
    ])
    func faultCoding(fault: SimulatedFault) throws {
        let data = try JSONEncoder().encode(fault)
        #expect(try JSONDecoder().decode(SimulatedFault.self, from: data) == fault)
    }
}
