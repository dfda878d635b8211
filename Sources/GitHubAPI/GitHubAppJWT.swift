import Crypto
import Foundation
import _CryptoExtras

/// Signs the JSON Web Tokens a GitHub App authenticates as itself with (RS256), as GitHub documents them:
/// `iat` 60 s in the past (clock drift), `exp` at most 10 minutes after `iat`, `iss` the App's id.
/// The private key never leaves this value; its description is redacted.
public struct GitHubAppJWTSigner: Sendable, CustomStringConvertible {
    /// The App's id (`iss`).
    public let appID: String
    private let key: _RSA.Signing.PrivateKey

    /// Parses a PEM private key (PKCS#1 `RSA PRIVATE KEY`, as GitHub downloads it, or PKCS#8 `PRIVATE KEY`).
    /// The error names what is wrong, never the key.
    public init(appID: String, privateKeyPEM: String) throws(GitHubError) {
        self.appID = appID
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw GitHubError(
                kind: .unauthorized, endpoint: "GitHub App \(appID)",
                message: "the App's private key is not an RSA private key in PEM form (2048 bits or more): "
                    + "download a new one from the App's settings and configure that file")
        }
    }

    /// A JWT valid from `now - 60 s` for `lifetime` (at most 600 s after `iat`, GitHub's limit).
    public func token(now: Date, lifetime: TimeInterval = 540) throws -> String {
        let issuedAt = Int(now.timeIntervalSince1970.rounded(.down)) - 60
        let expires = issuedAt + 60 + Int(min(max(lifetime, 60), 540))
        let header = #"{"alg":"RS256","typ":"JWT"}"#
        let payload = #"{"iat":\#(issuedAt),"exp":\#(expires),"iss":"\#(appID)"}"#
        let signingInput = Self.base64URL(Data(header.utf8)) + "." + Self.base64URL(Data(payload.utf8))
        let signature = try key.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
        return signingInput + "." + Self.base64URL(signature.rawRepresentation)
    }

    /// The public key, PEM (SubjectPublicKeyInfo): what GitHub verifies the signatures with.
    public var publicKeyPEM: String { key.publicKey.pemRepresentation }

    public var description: String { "GitHubAppJWTSigner(app: \(appID), key: <redacted>)" }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Bearer tokens for the App's own endpoints (`/app/...`): a JWT reused until a minute before it expires.
public actor GitHubAppJWTProvider: GitHubTokenProvider {
    let signer: GitHubAppJWTSigner
    let now: @Sendable () -> Date
    private var cached: (token: String, expires: Date)?

    public init(signer: GitHubAppJWTSigner, now: @escaping @Sendable () -> Date = { Date() }) {
        self.signer = signer
        self.now = now
    }

    public func currentToken() async throws -> String {
        let current = now()
        if let cached, cached.expires.timeIntervalSince(current) > 60 { return cached.token }
        let token = try signer.token(now: current)
        cached = (token, current.addingTimeInterval(540))
        return token
    }

    public func invalidate(_ token: String) async {
        if cached?.token == token { cached = nil }
    }
}
