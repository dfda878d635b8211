import AsyncHTTPClient
import Foundation
import GitHubAPI
import Logging
import Synchronization
import Testing

/// GitHub App authentication: the JWT (checked by an independent RS256 verifier, Python `cryptography`), the
/// installation tokens (created with the JWT, renewed before `expires_at`, renewed after a 401).
@Suite("GitHub App authentication")
struct GitHubAppAuthTests {
    /// A 2048-bit key in the PKCS#1 PEM form GitHub's App settings download, made by Python `cryptography`.
    static func pythonKey(in folder: URL) throws -> (privatePEM: String, publicPath: URL) {
        let privatePath = folder.appendingPathComponent("app.pem")
        let publicPath = folder.appendingPathComponent("app.pub.pem")
        try Python.run(
            """
            from sys import argv
            from cryptography.hazmat.primitives.asymmetric import rsa
            from cryptography.hazmat.primitives import serialization
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            open(argv[1], "wb").write(key.private_bytes(serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
            open(argv[2], "wb").write(key.public_key().public_bytes(serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo))
            """, arguments: [privatePath.path, publicPath.path])
        return (try String(contentsOf: privatePath, encoding: .utf8), publicPath)
    }

    @Test("the JWT is RS256 over header.payload, verified by Python cryptography with the public key; iat 60 s back, exp within 10 min")
    func jwtVerifiedIndependently() throws {
        let folder = try TemporaryFolder()
        let key = try Self.pythonKey(in: folder.url)
        let signer = try GitHubAppJWTSigner(appID: "424242", privateKeyPEM: key.privatePEM)
        let now = Date(timeIntervalSince1970: 1_765_000_000)
        let token = try signer.token(now: now)
        let tokenPath = folder.url.appendingPathComponent("jwt")
        try token.write(to: tokenPath, atomically: true, encoding: .utf8)
        let output = try Python.run(
            """
            from sys import argv
            from json import dumps, loads
            from base64 import urlsafe_b64decode
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import padding
            def b64(s): return urlsafe_b64decode(s + "=" * (-len(s) % 4))
            token = open(argv[1]).read()
            head, body, sig = token.split(".")
            public = serialization.load_pem_public_key(open(argv[2], "rb").read())
            public.verify(b64(sig), (head + "." + body).encode(), padding.PKCS1v15(), hashes.SHA256())
            print(dumps({"header": loads(b64(head)), "payload": loads(b64(body))}))
            """, arguments: [tokenPath.path, key.publicPath.path])
        struct Decoded: Decodable {
            struct Header: Decodable { var alg: String; var typ: String }
            struct Payload: Decodable { var iat: Int; var exp: Int; var iss: String }
            var header: Header
            var payload: Payload
        }
        let decoded = try JSONDecoder().decode(Decoded.self, from: Data(output.utf8))
        #expect(decoded.header.alg == "RS256")
        #expect(decoded.payload.iss == "424242")
        #expect(decoded.payload.iat == 1_765_000_000 - 60)
        #expect(decoded.payload.exp > 1_765_000_000)
        #expect(decoded.payload.exp - decoded.payload.iat <= 600)
    }

    @Test("a signature made with another key, or over a changed payload, fails the independent verifier")
    func verifierRejectsForgeries() throws {
        let folder = try TemporaryFolder()
        let key = try Self.pythonKey(in: folder.url)
        let otherFolder = try TemporaryFolder()
        let other = try Self.pythonKey(in: otherFolder.url)
        let signer = try GitHubAppJWTSigner(appID: "7", privateKeyPEM: other.privatePEM)
        let token = try signer.token(now: Date())
        let parts = token.split(separator: ".").map(String.init)
        let tampered = [parts[0], GitHubAppJWTSignerTestAccess.base64URL(#"{"iat":1,"exp":2,"iss":"8"}"#), parts[2]].joined(separator: ".")
        for candidate in [token, tampered] {
            let path = folder.url.appendingPathComponent("jwt")
            try candidate.write(to: path, atomically: true, encoding: .utf8)
            let verdict = try Python.run(
                """
                from sys import argv
                from base64 import urlsafe_b64decode
                from cryptography.hazmat.primitives import hashes, serialization
                from cryptography.hazmat.primitives.asymmetric import padding
                from cryptography.exceptions import InvalidSignature
                def b64(s): return urlsafe_b64decode(s + "=" * (-len(s) % 4))
                head, body, sig = open(argv[1]).read().split(".")
                public = serialization.load_pem_public_key(open(argv[2], "rb").read())
                try:
                    public.verify(b64(sig), (head + "." + body).encode(), padding.PKCS1v15(), hashes.SHA256())
                    print("valid")
                except InvalidSignature:
                    print("invalid")
                """, arguments: [path.path, key.publicPath.path])
            #expect(verdict.trimmingCharacters(in: .whitespacesAndNewlines) == "invalid")
        }
    }

    @Test("a key that is not an RSA PEM is refused with a message that names the App and never the key text")
    func badKeyIsRefused() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LW1hdGVyaWFs\n-----END RSA PRIVATE KEY-----\n"
        do {
            _ = try GitHubAppJWTSigner(appID: "99", privateKeyPEM: text)
            Issue.record("a malformed key was accepted")
        } catch {
            #expect(error.description.contains("App 99"))
            #expect(!error.description.contains("c2VjcmV0"))
        }
    }

    @Test("installation tokens: created with the JWT, reused, renewed before expires_at, renewed once after a 401")
    func installationTokenLifecycle() async throws {
        let folder = try TemporaryFolder()
        let key = try Self.pythonKey(in: folder.url)
        let clock = Mutex(Date(timeIntervalSince1970: 1_765_000_000))
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        func tokenBody(_ token: String, expiresIn seconds: TimeInterval) -> CannedResponse {
            let expires = now().addingTimeInterval(seconds)
            let text = expires.formatted(Date.ISO8601FormatStyle())
            return .json(201, #"{"token": "\#(token)", "expires_at": "\#(text)"}"#)
        }
        let repository = CannedResponse.json(200, #"{"id": 1, "full_name": "acme/api", "default_branch": "main"}"#)
        // POST token-1; GET (token-1); [time passes to 4 min before expiry] POST token-2; GET (token-2);
        // GET answered 401 (token-2 revoked); POST token-3; GET (token-3).
        try await ScriptedServer.with([
            tokenBody("ghs_one", expiresIn: 3600), repository,
            tokenBody("ghs_two", expiresIn: 3600 + 3600 - 240), repository,
            .json(401, #"{"message": "Bad credentials"}"#), tokenBody("ghs_three", expiresIn: 7200), repository,
        ]) { server in
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: GitHubClient.httpClientConfiguration())
            defer { _ = http.shutdown() }
            var appConfiguration = GitHubClientConfiguration(baseURL: server.baseURL)
            appConfiguration.tokenProvider = GitHubAppJWTProvider(
                signer: try GitHubAppJWTSigner(appID: "5", privateKeyPEM: key.privatePEM), now: now)
            let appClient = GitHubClient(configuration: appConfiguration, httpClient: http, logger: Logger(label: "test"), now: now)
            let source = InstallationTokenSource(installationID: 77, appClient: appClient, now: now)
            var configuration = GitHubClientConfiguration(baseURL: server.baseURL)
            configuration.tokenProvider = source
            let client = GitHubClient(configuration: configuration, httpClient: http, logger: Logger(label: "test"), now: now)

            _ = try await client.get("/repos/acme/api")
            clock.withLock { $0 = $0.addingTimeInterval(3600 - 240) }  // inside the renewal margin
            _ = try await client.get("/repos/acme/api")
            let response = try await client.get("/repos/acme/api")
            #expect(response.status == 200)
            #expect(await source.tokensCreated == 3)

            let received = server.received
            #expect(received.map(\.method) == ["POST", "GET", "POST", "GET", "GET", "POST", "GET"])
            #expect(received.filter { $0.method == "POST" }.allSatisfy { $0.pathAndQuery == "/app/installations/77/access_tokens" })
            let authorizations = received.map { $0.header("authorization") ?? "" }
            #expect(received.indices.filter { received[$0].method == "POST" }.allSatisfy {
                authorizations[$0].hasPrefix("Bearer ey") && authorizations[$0].split(separator: ".").count == 3
            })
            #expect(authorizations[1] == "Bearer ghs_one")
            #expect(authorizations[3] == "Bearer ghs_two")
            #expect(authorizations[4] == "Bearer ghs_two")
            #expect(authorizations[6] == "Bearer ghs_three")
        }
    }

    @Test("a second 401 in a row is an unauthorized error that names neither token")
    func repeatedUnauthorizedFails() async throws {
        let refused = CannedResponse.json(401, #"{"message": "Bad credentials"}"#)
        let tokens = TokenCounter()
        try await ScriptedServer.with([refused]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, token: nil, configure: { $0.tokenProvider = tokens }) { client, _ in
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/acme/api") }
                #expect(error?.kind == .unauthorized)
                #expect(server.received.count == 2)
                let text = error.map { "\($0)" } ?? ""
                #expect(text.contains("401"))
                #expect(!text.contains("ghs_secret"))
                #expect(tokens.invalidated.count == 1)
            }
        }
    }
}

/// Hands out `ghs_secret<n>`, a new one after each invalidation.
final class TokenCounter: GitHubTokenProvider, Sendable {
    private let state = Mutex((next: 1, current: "ghs_secret1", invalidated: [String]()))
    var invalidated: [String] { state.withLock { $0.invalidated } }
    func currentToken() async throws -> String { state.withLock { $0.current } }
    func invalidate(_ token: String) async {
        state.withLock {
            $0.invalidated.append(token)
            $0.next += 1
            $0.current = "ghs_secret\($0.next)"
        }
    }
}

enum GitHubAppJWTSignerTestAccess {
    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Runs `python3 -c script args…` and returns its standard output; a non-zero exit is an error with its stderr.
enum Python {
    struct Failed: Error, CustomStringConvertible { var description: String }

    @discardableResult
    static func run(_ script: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "python3 failed: " + (String(data: errors, encoding: .utf8) ?? ""))
        }
        return String(data: output, encoding: .utf8) ?? ""
    }
}

/// A folder under the system's temporary directory, removed when the value is released.
final class TemporaryFolder: Sendable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("devops-twin-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}
