import AsyncHTTPClient
import Foundation
import GitHubAPI
import Logging
import Sync
import TwinConfig

/// The GitHub credentials, each with its own client: the default token, `github.tokens`, and every installation
/// of every configured App (found with the App's JWT at each cycle, so a new installation is picked up). Clients
/// live as long as the pool, so installation tokens are reused until they are renewed.
public actor CredentialPool {
    let configuration: TwinConfiguration
    let httpClient: HTTPClient
    let logger: Logger
    private var installations: [String: GitHubCredential] = [:]
    private var appClients: [String: GitHubClient] = [:]
    /// Each App's installations listing as last answered, with its ETag: an unchanged listing is a 304.
    private var listings: [String: (etag: String?, installations: [GitHubInstallation])] = [:]
    private let fixed: [GitHubCredential]

    public init(configuration: TwinConfiguration, httpClient: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        var fixed: [GitHubCredential] = []
        let base = configuration.gitHubClientConfiguration
        if configuration.github.token != nil || (configuration.github.apps.isEmpty && configuration.github.tokens.isEmpty) {
            fixed.append(
                GitHubCredential(
                    name: "default", kind: .token(owners: nil), client: GitHubClient(configuration: base, httpClient: httpClient, logger: logger)))
        }
        for token in configuration.github.tokens {
            var client = base
            client.token = token.token.value
            fixed.append(
                GitHubCredential(
                    name: token.name, kind: .token(owners: token.owners),
                    client: GitHubClient(configuration: client, httpClient: httpClient, logger: logger)))
        }
        self.fixed = fixed
    }

    /// Every credential now; App installations are listed again (JWT requests, not counted against any
    /// installation's budget). An App that cannot be asked keeps the installations it had, and is logged.
    public func refresh() async -> [GitHubCredential] {
        for app in configuration.github.apps {
            do {
                let client = try appClient(app)
                var seen: Set<String> = []
                for installation in try await installations(of: app, client: client) {
                    let account = installation.account?.login ?? "installation-\(installation.id)"
                    let name = "\(account)@app-\(app.id)"
                    seen.insert(name)
                    if installations[name] == nil {
                        var settings = configuration.gitHubClientConfiguration
                        settings.token = nil
                        settings.tokenProvider = InstallationTokenSource(installationID: installation.id, appClient: client)
                        installations[name] = GitHubCredential(
                            name: name, kind: .installation(appID: app.id, id: installation.id, account: account),
                            client: GitHubClient(configuration: settings, httpClient: httpClient, logger: logger))
                        logger.info("github app installation found", metadata: ["credential": "\(name)"])
                    }
                }
                for name in installations.keys where name.hasSuffix("@app-\(app.id)") && !seen.contains(name) {
                    installations[name] = nil
                    logger.notice("github app installation gone", metadata: ["credential": "\(name)"])
                }
            } catch {
                logger.error("github app installations could not be listed", metadata: ["app": "\(app.id)", "error": "\(error)"])
            }
        }
        return fixed + installations.keys.sorted().compactMap { installations[$0] }
    }

    /// The App's installations (`GET /app/installations`, every page; page 1 with its ETag, so an unchanged
    /// listing costs the App nothing).
    private func installations(of app: GitHubAppSettings, client: GitHubClient) async throws -> [GitHubInstallation] {
        let first = "/app/installations?per_page=100"
        let cached = listings[app.id]
        let response = try await client.get(first, ifNoneMatch: cached?.etag)
        if response.status == 304, let cached { return cached.installations }
        var all = try client.decode([GitHubInstallation].self, from: response)
        var url = response.nextURL
        while let next = url {
            let page = try await client.get(next)
            all += try client.decode([GitHubInstallation].self, from: page)
            url = page.nextURL
        }
        listings[app.id] = (response.etag, all)
        return all
    }

    /// The App's own client, authenticated with its JWT.
    private func appClient(_ app: GitHubAppSettings) throws -> GitHubClient {
        if let client = appClients[app.id] { return client }
        let signer = try GitHubAppJWTSigner(appID: app.id, privateKeyPEM: app.privateKey.value)
        var settings = configuration.gitHubClientConfiguration
        settings.token = nil
        settings.tokenProvider = GitHubAppJWTProvider(signer: signer)
        let client = GitHubClient(configuration: settings, httpClient: httpClient, logger: logger)
        appClients[app.id] = client
        return client
    }
}
