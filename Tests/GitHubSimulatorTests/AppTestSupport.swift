import Foundation
import GitHubSimulator
import _CryptoExtras

/// RSA keys for the GitHub App tests: made once per test run (2048-bit generation is slow), kept as `Result`s so a
/// failure surfaces as a thrown error in the test that needs the key.
enum TestKeys {
    struct GenerationFailed: Error, CustomStringConvertible {
        var description: String
    }

    static let app = generate()
    static let other = generate()

    static func generate() -> Result<_RSA.Signing.PrivateKey, GenerationFailed> {
        Result { try _RSA.Signing.PrivateKey(keySize: .bits2048) }.mapError { GenerationFailed(description: "RSA key generation failed: \($0)") }
    }
}

/// Signs GitHub App JWTs for the tests, as a client would (RS256, PKCS#1 v1.5 with SHA-256), and lets a test
/// break any part of them.
enum TestJWT {
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func encode(_ object: [String: Any]) throws -> String {
        base64URL(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// A JWT with `payload`, signed by `key` unless `header["alg"]` asks for something else ("none" is unsigned;
    /// "HS256" gets an HMAC-looking signature that is not RS256).
    static func make(payload: [String: Any], key: _RSA.Signing.PrivateKey, header: [String: Any] = ["alg": "RS256", "typ": "JWT"])
        throws -> String
    {
        let signingInput = "\(try encode(header)).\(try encode(payload))"
        switch header["alg"] as? String {
        case "RS256":
            let signature = try key.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
            return "\(signingInput).\(base64URL(signature.rawRepresentation))"
        case "none":
            return "\(signingInput)."
        default:
            return "\(signingInput).\(base64URL(Data(repeating: 7, count: 32)))"
        }
    }

    /// The payload GitHub documents: `iat` 60 s in the past, `exp` ten minutes after `iat`, `iss` the App ID.
    static func payload(app: Int, now: Date, iat: TimeInterval = -60, lifetime: TimeInterval = 600) -> [String: Any] {
        let issued = Int(now.timeIntervalSince1970 + iat)
        return ["iat": issued, "exp": issued + Int(lifetime), "iss": app]
    }
}

/// An organisation with a GitHub App installed twice: app 7 on all of `acme`, and on two of `beta`'s repositories.
struct AppFixture {
    let clock = ManualClock(Fixtures.now)
    let key: _RSA.Signing.PrivateKey
    let github: SimulatedGitHub
    static let appID = 7
    static let allInstallation = 7001
    static let selectedInstallation = 7002

    init(rateLimit: Int = 5000, tokenLifetime: TimeInterval = 3600, requiredToken: String? = nil, acceptedTokens: [String] = [])
        throws
    {
        key = try TestKeys.app.get()
        var repositories = (0..<7).map { Fixtures.repository(commits: 20, seed: UInt64($0), name: "svc-\($0)") }
        repositories[2].archived = true
        repositories[3].fork = true
        repositories[4].topics = ["team-payments", "tier-1"]
        repositories[5].visibility = .private
        repositories += (0..<3).map { Fixtures.repository(commits: 20, seed: UInt64(10 + $0), owner: "beta", name: "lib-\($0)") }
        let app = SimulatedApp(
            id: Self.appID, slug: "twin", publicKeyPEM: key.publicKey.pemRepresentation,
            installations: [
                SimulatedInstallation(id: Self.allInstallation, account: "acme"),
                SimulatedInstallation(id: Self.selectedInstallation, account: "beta", repositories: ["lib-0", "beta/lib-2"]),
            ])
        let clock = self.clock
        github = SimulatedGitHub(
            repositories: repositories, requiredToken: requiredToken, acceptedTokens: acceptedTokens, apps: [app],
            installationTokenLifetime: tokenLifetime, rateLimit: rateLimit, clock: { clock.now })
    }

    /// A valid JWT of app 7 at the fixture's current time.
    func jwt(iat: TimeInterval = -60, lifetime: TimeInterval = 600) throws -> String {
        try TestJWT.make(payload: TestJWT.payload(app: Self.appID, now: clock.now, iat: iat, lifetime: lifetime), key: key)
    }

    static func bearer(_ token: String) -> [(String, String)] {
        [("Authorization", "Bearer \(token)")]
    }
}

extension SimulatorHarness {
    /// Exchanges a JWT for an installation token, as `POST /app/installations/{id}/access_tokens`.
    func installationToken(_ installation: Int, jwt: String) async throws -> String {
        let reply = try await get(
            "/app/installations/\(installation)/access_tokens", headers: AppFixture.bearer(jwt), method: .POST)
        guard reply.status == 201, let token = reply.object["token"] as? String else {
            throw HarnessError(message: "access_tokens answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        }
        return token
    }
}
