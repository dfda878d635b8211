import Foundation

/// How the client authenticates. The password and token are never logged, printed or put in errors.
public enum Neo4jAuthentication: Sendable, Hashable, CustomStringConvertible {
    /// No `Authorization` header (auth disabled on the server).
    case none
    /// `Authorization: Basic base64(user:password)`.
    case basic(user: String, password: String)
    /// `Authorization: Bearer <token>` (SSO). The token is sent base64-encoded as the Neo4j docs show.
    case bearer(token: String)

    public var description: String {
        switch self {
        case .none: return "none"
        case .basic(let user, _): return "basic(user: \(user), password: <redacted>)"
        case .bearer: return "bearer(<redacted>)"
        }
    }

    var headerValue: String? {
        switch self {
        case .none: return nil
        case .basic(let user, let password):
            return "Basic " + Base64.encode(Array("\(user):\(password)".utf8))
        case .bearer(let token):
            return "Bearer " + Base64.encode(Array(token.utf8))
        }
    }
}

enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
