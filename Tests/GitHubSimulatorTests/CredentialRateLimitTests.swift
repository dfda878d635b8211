import Foundation
import GitHubSimulator
import Testing

@Suite("A primary rate limit per credential")
struct CredentialRateLimitTests {
    @Test("each token and each installation spends its own budget; JWT calls and /rate_limit spend none of them")
    func budgetsAreIndependent() async throws {
        let fixture = try AppFixture(rateLimit: 5, requiredToken: "pat-one", acceptedTokens: ["pat-two"])
        let github = fixture.github
        try await SimulatorHarness.run(github) { harness in
            let jwt = try fixture.jwt()
            let all = try await harness.installationToken(AppFixture.allInstallation, jwt: jwt)
            let selected = try await harness.installationToken(AppFixture.selectedInstallation, jwt: jwt)
            for _ in 0..<3 { #expect(try await harness.get("/repos/acme/svc-0", headers: AppFixture.bearer("pat-one")).status == 200) }
            let second = try await harness.get("/repos/acme/svc-0/tags", headers: AppFixture.bearer("pat-two"))
            #expect(second.header("x-ratelimit-remaining") == "4")
            for _ in 0..<2 { #expect(try await harness.get("/repos/acme/svc-1", headers: AppFixture.bearer(all)).status == 200) }
            let installationReply = try await harness.get("/repos/beta/lib-0", headers: AppFixture.bearer(selected))
            #expect(installationReply.header("x-ratelimit-remaining") == "4")
            #expect(installationReply.header("x-ratelimit-limit") == "5")

            // The app's own JWT requests (two token exchanges, then /app) come out of the app's budget.
            let app = try await harness.get("/app", headers: AppFixture.bearer(jwt))
            #expect(app.header("x-ratelimit-remaining") == "2")

            let overview = try await harness.get("/rate_limit", headers: AppFixture.bearer(all))
            let rate = try #require(overview.object["rate"] as? [String: Any])
            #expect(rate["remaining"] as? Int == 3)
            #expect(rate["used"] as? Int == 2)
            let core = try #require((overview.object["resources"] as? [String: Any])?["core"] as? [String: Any])
            #expect(core["remaining"] as? Int == 3)

            // Exhaust token#1: the others keep their budgets.
            for _ in 0..<2 { _ = try await harness.get("/repos/acme/svc-0", headers: AppFixture.bearer("pat-one")) }
            let exhausted = try await harness.get("/repos/acme/svc-0", headers: AppFixture.bearer("pat-one"))
            #expect(exhausted.status == 403)
            #expect(exhausted.header("x-ratelimit-remaining") == "0")
            #expect(try await harness.get("/repos/acme/svc-0", headers: AppFixture.bearer("pat-two")).status == 200)
            #expect(try await harness.get("/repos/acme/svc-0", headers: AppFixture.bearer(all)).status == 200)
        }
        #expect(github.rateLimitRemaining(credential: .token(1)) == 0)
        #expect(github.rateLimitRemaining == 0)
        #expect(github.rateLimitRemaining(credential: .token(2)) == 3)
        #expect(github.rateLimitRemaining(credential: .installation(AppFixture.allInstallation)) == 2)
        #expect(github.rateLimitRemaining(credential: .installation(AppFixture.selectedInstallation)) == 4)
        #expect(github.rateLimitRemaining(credential: .app(AppFixture.appID)) == 2)
        let labels = github.requestLog.map { $0.credential ?? "" }
        #expect(labels.filter { $0 == "token#1" }.count == 6)
        #expect(labels.filter { $0 == "installation:7001" }.count == 4)
    }

    @Test("each credential's window resets on its own schedule")
    func windowsResetPerCredential() async throws {
        let fixture = try AppFixture(rateLimit: 2, requiredToken: "pat-one")
        let github = fixture.github
        try await SimulatorHarness.run(github) { harness in
            _ = try await harness.get("/repos/acme/svc-0", headers: AppFixture.bearer("pat-one"))
            fixture.clock.advance(by: 1800)
            let token = try await harness.installationToken(AppFixture.allInstallation, jwt: try fixture.jwt())
            _ = try await harness.get("/repos/acme/svc-0", headers: AppFixture.bearer(token))
            #expect(github.rateLimitReset(credential: .token(1)) == Fixtures.now.addingTimeInterval(3600))
            #expect(github.rateLimitReset(credential: .installation(AppFixture.allInstallation)) == Fixtures.now.addingTimeInterval(5400))
            fixture.clock.advance(by: 1800)
            #expect(github.rateLimitRemaining(credential: .token(1)) == 2)
            #expect(github.rateLimitRemaining(credential: .installation(AppFixture.allInstallation)) == 1)
        }
    }
}
