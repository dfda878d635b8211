import Foundation
import _CryptoExtras

/// Verifies GitHub App JSON Web Tokens the way GitHub documents them ("Generating a JSON Web Token (JWT) for a
/// GitHub App"): header `alg` RS256; payload `iss` (the App ID as integer or string, or the client ID), `iat`
/// and `exp`; a PKCS#1 v1.5 SHA-256 signature by the app's private key; `exp` in the future but at most ten
/// minutes after `iat`. Each rejection carries a message in GitHub's words saying what was wrong.
struct AppJWTVerifier: Sendable {
    /// How far `iat` may lie in the future (clock drift); GitHub advises clients to back-date `iat` by 60 s.
    static let allowedClockSkew: TimeInterval = 60
    /// The longest a JWT may live (`exp - iat`), GitHub's ten minutes.
    static let maximumLifetime: TimeInterval = 600

    struct Rejection: Error, Sendable {
        var message: String
    }

    struct KeyedApp: Sendable {
        var app: SimulatedApp
        /// nil when `publicKeyPEM` could not be read: every JWT of the app is rejected then.
        var key: _RSA.Signing.PublicKey?
    }

    let apps: [KeyedApp]

    init(apps: [SimulatedApp]) {
        self.apps = apps.map { KeyedApp(app: $0, key: try? Self.publicKey(pem: $0.publicKeyPEM)) }
    }

    /// The RSA public key of a PEM document: a public key (`PUBLIC KEY`, `RSA PUBLIC KEY`), or a private key
    /// (`PRIVATE KEY`, `RSA PRIVATE KEY`, as GitHub hands it out) whose public half is taken.
    static func publicKey(pem: String) throws -> _RSA.Signing.PublicKey {
        if pem.contains("PRIVATE KEY") {
            return try _RSA.Signing.PrivateKey(pemRepresentation: pem).publicKey
        }
        return try _RSA.Signing.PublicKey(pemRepresentation: pem)
    }

    static let undecodable = "A JSON web token could not be decoded"
    static let expiredMessage =
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
    static let tooLongMessage = "'Expiration time' claim ('exp') is too far in the future"
    static let issuedAtMessage = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"

    /// Whether `token` has the shape of a JWT (three base64url parts, the first a JSON object).
    static func looksLikeJWT(_ token: String) -> Bool {
        token.hasPrefix("eyJ") && token.split(separator: ".", omittingEmptySubsequences: false).count == 3
    }

    /// The App ID the token authenticates, or why it is rejected.
    func verify(_ token: String, now: Date) -> Result<Int, Rejection> {
        func reject(_ message: String) -> Result<Int, Rejection> { .failure(Rejection(message: message)) }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3,
            let headerData = Self.base64URLDecode(parts[0]),
            let payloadData = Self.base64URLDecode(parts[1]),
            let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any],
            let payload = (try? JSONSerialization.jsonObject(with: payloadData)) as? [String: Any]
        else {
            return reject("\(Self.undecodable): it is not three base64url parts holding a JSON header and payload")
        }
        guard let algorithm = header["alg"] as? String, algorithm == "RS256" else {
            let named = (header["alg"] as? String).map { "'\($0)'" } ?? "missing"
            return reject("\(Self.undecodable): the header's 'alg' is \(named); GitHub Apps sign with RS256")
        }
        guard let keyed = app(issuer: payload["iss"]) else {
            let issuer = payload["iss"].map { "\($0)" } ?? "missing"
            return reject("Integration not found: the 'iss' claim (\(issuer)) is neither the ID nor the client ID of a registered GitHub App")
        }
        guard let key = keyed.key else {
            return reject("\(Self.undecodable): the public key registered for app \(keyed.app.id) is not an RSA PEM key")
        }
        guard let signatureBytes = Self.base64URLDecode(parts[2]),
            key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signatureBytes), for: Data("\(parts[0]).\(parts[1])".utf8),
                padding: .insecurePKCS1v1_5)
        else {
            return reject("\(Self.undecodable): its RS256 signature does not verify with the public key of app \(keyed.app.id)")
        }
        guard let issuedAt = Self.number(payload["iat"]) else {
            return reject("\(Self.issuedAtMessage) (it is missing or not a number)")
        }
        guard let expires = Self.number(payload["exp"]) else {
            return reject("\(Self.expiredMessage) (it is missing or not a number)")
        }
        let nowSeconds = now.timeIntervalSince1970
        if issuedAt > nowSeconds + Self.allowedClockSkew {
            return reject("\(Self.issuedAtMessage) (it is \(Int(issuedAt - nowSeconds)) s in the future)")
        }
        if expires <= nowSeconds {
            return reject("\(Self.expiredMessage) (it expired \(Int(nowSeconds - expires)) s ago)")
        }
        if expires - issuedAt > Self.maximumLifetime || expires > nowSeconds + Self.maximumLifetime + Self.allowedClockSkew {
            return reject("\(Self.tooLongMessage) (a JWT may live at most 600 s; this one lives \(Int(expires - issuedAt)) s)")
        }
        return .success(keyed.app.id)
    }

    /// The app an `iss` claim names: the App ID as integer or decimal string, or the client ID.
    func app(issuer: Any?) -> KeyedApp? {
        if let text = issuer as? String {
            if let id = Int(text) { return apps.first { $0.app.id == id } }
            return apps.first { $0.app.clientID == text }
        }
        if let value = Self.number(issuer), value.rounded() == value {
            return apps.first { Double($0.app.id) == value }
        }
        return nil
    }

    static func number(_ value: Any?) -> Double? {
        if let integer = value as? Int { return Double(integer) }
        if let double = value as? Double { return double }
        return nil
    }

    static func base64URLDecode(_ text: String) -> Data? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
