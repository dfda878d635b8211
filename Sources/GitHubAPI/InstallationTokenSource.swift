import Foundation

/// Installation tokens of one GitHub App installation: created with the App's JWT
/// (`POST /app/installations/{id}/access_tokens`), reused until shortly before their `expires_at`, created anew
/// after a 401. One source per installation; its requests go through the App's client (JWT-authenticated).
public actor InstallationTokenSource: GitHubTokenProvider {
    /// The installation's id.
    public let installationID: Int64
    let appClient: GitHubClient
    let now: @Sendable () -> Date
    /// A token is renewed this long before it expires (or at a quarter of its lifetime, when that is shorter).
    let renewalMargin: TimeInterval
    private var cached: (token: String, expires: Date, margin: TimeInterval)?
    private var pending: Task<GitHubInstallationToken, any Error>?
    /// Tokens created so far (refreshes included): for the metrics and the tests.
    public private(set) var tokensCreated = 0

    public init(
        installationID: Int64, appClient: GitHubClient, renewalMargin: TimeInterval = 300,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.installationID = installationID
        self.appClient = appClient
        self.renewalMargin = renewalMargin
        self.now = now
    }

    public func currentToken() async throws -> String {
        if let cached, cached.expires.timeIntervalSince(now()) > cached.margin { return cached.token }
        // One creation at a time, however many requests wait for it.
        let task: Task<GitHubInstallationToken, any Error>
        if let pending {
            task = pending
        } else {
            let client = appClient
            let path = "/app/installations/\(installationID)/access_tokens"
            task = Task {
                let response = try await client.post(path)
                return try client.decode(GitHubInstallationToken.self, from: response)
            }
            pending = task
        }
        defer { pending = nil }
        let created = try await task.value
        let issued = now()
        let lifetime = max(0, created.expiresAt.timeIntervalSince(issued))
        if cached?.token != created.token { tokensCreated += 1 }
        cached = (created.token, created.expiresAt, min(renewalMargin, lifetime / 4))
        return created.token
    }

    public func invalidate(_ token: String) async {
        if cached?.token == token { cached = nil }
    }
}
