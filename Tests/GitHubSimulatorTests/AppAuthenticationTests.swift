import Foundation
import GitHubSimulator
import Testing
import _CryptoExtras

@Suite("GitHub App JWTs and installation tokens")
struct AppAuthenticationTests {
    @Test("a JWT signed as GitHub documents authenticates the /app endpoints")
    func jwtAccepted() async throws {
        let fixture = try AppFixture()
        try await SimulatorHarness.run(fixture.github) { harness in
            let jwt = try fixture.jwt()
            let app = try await harness.get("/app", headers: AppFixture.bearer(jwt))
            #expect(app.status == 200)
            #expect(app.object["id"] as? Int == AppFixture.appID)
            #expect(app.object["slug"] as? String == "twin")
            #expect(app.object["installations_count"] as? Int == 2)

            let installations = try await harness.get("/app/installations", headers: AppFixture.bearer(jwt))
            #expect(installations.array.compactMap { $0["id"] as? Int } == [AppFixture.allInstallation, AppFixture.selectedInstallation])
            #expect(installations.array.compactMap { $0["repository_selection"] as? String } == ["all", "selected"])

            let org = try await harness.get("/orgs/beta/installation", headers: AppFixture.bearer(jwt))
            #expect(org.object["id"] as? Int == AppFixture.selectedInstallation)
            let repo = try await harness.get("/repos/beta/lib-2/installation", headers: AppFixture.bearer(jwt))
            #expect(repo.object["id"] as? Int == AppFixture.selectedInstallation)
            #expect(try await harness.get("/repos/beta/lib-1/installation", headers: AppFixture.bearer(jwt)).status == 404)
            #expect(try await harness.get("/orgs/nobody/installation", headers: AppFixture.bearer(jwt)).status == 404)

            // The client ID and the App ID as a string are accepted as `iss` too.
            var payload = TestJWT.payload(app: AppFixture.appID, now: fixture.clock.now)
            payload["iss"] = "7"
            #expect(try await harness.get("/app", headers: AppFixture.bearer(TestJWT.make(payload: payload, key: fixture.key))).status == 200)
            payload["iss"] = app.object["client_id"] as? String ?? ""
            #expect(try await harness.get("/app", headers: AppFixture.bearer(TestJWT.make(payload: payload, key: fixture.key))).status == 200)
        }
        #expect(fixture.github.requestLog.allSatisfy { $0.credential == "app:7" })
    }

    /// A JWT that is wrong in one way, and what GitHub's message says about it.
    struct Rejection: Sendable, CustomTestStringConvertible {
        var name: String
        var expected: String
        var make: @Sendable (AppFixture) throws -> String
        var testDescription: String { name }
    }

    static let rejections: [Rejection] = [
        Rejection(name: "signature over other bytes", expected: "signature does not verify") { fixture in
            let parts = try fixture.jwt().split(separator: ".").map(String.init)
            let forged = try TestJWT.encode(["iat": 0, "exp": Int.max, "iss": AppFixture.appID])
            return "\(parts[0]).\(forged).\(parts[2])"
        },
        Rejection(name: "signed by another key", expected: "signature does not verify") { fixture in
            try TestJWT.make(payload: TestJWT.payload(app: AppFixture.appID, now: fixture.clock.now), key: TestKeys.other.get())
        },
        Rejection(name: "expired", expected: "'Expiration time' claim ('exp') must be a numeric value representing the future time") { fixture in
            try fixture.jwt(iat: -700, lifetime: 600)
        },
        Rejection(name: "lives longer than ten minutes", expected: "'Expiration time' claim ('exp') is too far in the future") { fixture in
            try fixture.jwt(iat: -60, lifetime: 700)
        },
        Rejection(name: "issued in the future", expected: "'Issued at' claim ('iat') must be an Integer") { fixture in
            try fixture.jwt(iat: 300, lifetime: 200)
        },
        Rejection(name: "another app's iss", expected: "Integration not found") { fixture in
            try TestJWT.make(payload: TestJWT.payload(app: 999, now: fixture.clock.now), key: fixture.key)
        },
        Rejection(name: "alg none", expected: "the header's 'alg' is 'none'") { fixture in
            try TestJWT.make(
                payload: TestJWT.payload(app: AppFixture.appID, now: fixture.clock.now), key: fixture.key, header: ["alg": "none"])
        },
        Rejection(name: "alg HS256", expected: "the header's 'alg' is 'HS256'") { fixture in
            try TestJWT.make(
                payload: TestJWT.payload(app: AppFixture.appID, now: fixture.clock.now), key: fixture.key, header: ["alg": "HS256", "typ": "JWT"])
        },
        Rejection(name: "not a JWT's parts", expected: "A JSON web token could not be decoded") { _ in
            "eyJhbGciOiJSUzI1NiJ9.%%%.abc"
        },
    ]

    @Test("each malformed, forged, expired or over-long JWT is refused with 401 saying why", arguments: rejections)
    func jwtRejected(_ rejection: Rejection) async throws {
        let fixture = try AppFixture()
        let jwt = try rejection.make(fixture)
        try await SimulatorHarness.run(fixture.github) { harness in
            let reply = try await harness.get("/app/installations", headers: AppFixture.bearer(jwt))
            #expect(reply.status == 401)
            let message = reply.object["message"] as? String ?? ""
            #expect(message.contains(rejection.expected), "\(message)")
            #expect(reply.object["documentation_url"] is String)
            let token = try await harness.get(
                "/app/installations/\(AppFixture.allInstallation)/access_tokens", headers: AppFixture.bearer(jwt), method: .POST)
            #expect(token.status == 401)
        }
        let logged = try #require(fixture.github.requestLog.first)
        #expect(logged.status == 401)
        #expect(logged.message?.contains(rejection.expected) == true)
        #expect(fixture.github.installationTokensIssued == 0)
    }

    @Test("installation tokens work until they expire, by lifetime or by the test hook, then answer Bad credentials")
    func tokenExpiry() async throws {
        let fixture = try AppFixture(tokenLifetime: 120)
        try await SimulatorHarness.run(fixture.github) { harness in
            let jwt = try fixture.jwt()
            let reply = try await harness.get(
                "/app/installations/\(AppFixture.allInstallation)/access_tokens", headers: AppFixture.bearer(jwt), method: .POST)
            #expect(reply.status == 201)
            let token = try #require(reply.object["token"] as? String)
            #expect(token.hasPrefix("ghs_") && token.count == 40)
            #expect(reply.object["expires_at"] as? String == "2024-06-01T12:02:00Z")
            #expect(reply.object["repository_selection"] as? String == "all")
            #expect((reply.object["permissions"] as? [String: String])?["contents"] == "read")

            #expect(try await harness.get("/repos/acme/svc-1", headers: AppFixture.bearer(token)).status == 200)
            fixture.clock.advance(by: 119)
            #expect(try await harness.get("/repos/acme/svc-1/tags", headers: AppFixture.bearer(token)).status == 200)
            fixture.clock.advance(by: 1)
            let expired = try await harness.get("/repos/acme/svc-1", headers: AppFixture.bearer(token))
            #expect(expired.status == 401)
            #expect(expired.object["message"] as? String == "Bad credentials")

            let fresh = try await harness.installationToken(AppFixture.allInstallation, jwt: try fixture.jwt())
            #expect(fresh != token)
            #expect(try await harness.get("/repos/acme/svc-1", headers: AppFixture.bearer(fresh)).status == 200)
            fixture.github.expireInstallationTokens()
            #expect(try await harness.get("/repos/acme/svc-1", headers: AppFixture.bearer(fresh)).status == 401)

            let unknown = try await harness.get("/repos/acme/svc-1", headers: AppFixture.bearer("ghs_" + String(repeating: "x", count: 36)))
            #expect(unknown.status == 401)
            #expect(fixture.github.installationTokensIssued == 2)
        }
    }

    @Test("over HTTP, DELETE /_simulator/installation-tokens expires every token")
    func tokenExpiryOverHTTP() async throws {
        let fixture = try AppFixture()
        try await SimulatorHarness.run(fixture.github) { harness in
            let token = try await harness.installationToken(AppFixture.allInstallation, jwt: try fixture.jwt())
            #expect(try await harness.get("/installation/repositories", headers: AppFixture.bearer(token)).status == 200)
            #expect(try await harness.get("/_simulator/installation-tokens", method: .DELETE).status == 204)
            #expect(try await harness.get("/installation/repositories", headers: AppFixture.bearer(token)).status == 401)
        }
    }

    @Test("credentials are kept to their endpoints: a JWT is not an installation token and the other way round")
    func credentialsStayInTheirLane() async throws {
        let fixture = try AppFixture(requiredToken: "pat-one")
        try await SimulatorHarness.run(fixture.github) { harness in
            let jwt = try fixture.jwt()
            let token = try await harness.installationToken(AppFixture.allInstallation, jwt: jwt)
            #expect(try await harness.get("/repos/acme/svc-1", headers: AppFixture.bearer(jwt)).status == 403)
            #expect(try await harness.get("/app", headers: AppFixture.bearer(token)).status == 401)
            #expect(try await harness.get("/app", headers: AppFixture.bearer("pat-one")).status == 401)
            #expect(try await harness.get("/installation/repositories", headers: AppFixture.bearer("pat-one")).status == 403)
            #expect(try await harness.get("/repos/acme/svc-1").status == 401)
            // An app can only mint tokens for its own installations.
            let other = try await harness.get("/app/installations/4242/access_tokens", headers: AppFixture.bearer(jwt), method: .POST)
            #expect(other.status == 404)
        }
        let labels = Set(fixture.github.requestLog.compactMap(\.credential))
        #expect(labels.isSuperset(of: ["app:7", "installation:7001", "token#1"]))
        #expect(!fixture.github.requestLog.contains { entry in
            [entry.pathAndQuery, entry.message ?? "", entry.credential ?? ""].contains { $0.contains("pat-one") || $0.contains("ghs_") }
        })
    }
}
