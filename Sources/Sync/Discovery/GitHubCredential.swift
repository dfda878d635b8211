import GitHubAPI

/// One way of authenticating to GitHub, with its own client (so its own serialised requests and its own rate
/// limit): a personal access token, or one installation of a GitHub App.
public struct GitHubCredential: Sendable {
    public enum Kind: Sendable, Hashable {
        /// A token; `owners` nil is the default token (`GITHUB_TOKEN`), which takes what no other credential does.
        case token(owners: [String]?)
        /// An App installation on `account`.
        case installation(appID: String, id: Int64, account: String)
    }

    /// The `credential` label on /metrics: `default`, a `github.tokens[].name`, or `ACCOUNT@app-ID`. Never secret.
    public let name: String
    public let kind: Kind
    public let client: GitHubClient

    public init(name: String, kind: Kind, client: GitHubClient) {
        self.name = name
        self.kind = kind
        self.client = client
    }

    /// The account an installation is on.
    public var installationAccount: String? {
        if case .installation(_, _, let account) = kind { return account }
        return nil
    }
}

/// Which credential syncs which repository.
public struct CredentialRouter: Sendable {
    public let credentials: [GitHubCredential]
    /// Repository (lowercased `owner/name`) → credential name, from discovery: the installation that listed it.
    public var routes: [String: String]

    public init(credentials: [GitHubCredential], routes: [String: String] = [:]) {
        self.credentials = credentials
        self.routes = routes
    }

    /// The credential that can see `repository`: the installation that listed it; else an installation on its
    /// owner; else a token for its owner; else the default token; else the first credential.
    public func credential(for repository: String) -> GitHubCredential? {
        let key = repository.lowercased()
        if let name = routes[key], let found = credentials.first(where: { $0.name == name }) { return found }
        let owner = String(key.split(separator: "/", maxSplits: 1).first ?? "")
        if let installation = credentials.first(where: { $0.installationAccount?.lowercased() == owner }) { return installation }
        if let token = credentials.first(where: {
            if case .token(let owners?) = $0.kind { return owners.contains { $0.lowercased() == owner } }
            return false
        }) {
            return token
        }
        if let fallback = credentials.first(where: { $0.kind == .token(owners: nil) }) { return fallback }
        return credentials.first
    }
}
