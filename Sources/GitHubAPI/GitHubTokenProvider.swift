/// Where a ``GitHubClient`` gets the bearer token of each request, when the token changes over time (GitHub App
/// JWTs, installation tokens that expire after an hour).
///
/// Tokens are secrets: a provider never logs them and its errors never contain them.
public protocol GitHubTokenProvider: Sendable {
    /// The token to send now; refreshed before it expires.
    func currentToken() async throws -> String
    /// GitHub answered 401 to `token`: forget it, so that the next ``currentToken()`` makes a new one.
    func invalidate(_ token: String) async
}
