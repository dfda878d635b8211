import Foundation

extension SimulatedGitHub {
    /// Who a request's `Authorization` header says it is, or why it is refused (a 401 message).
    enum Authentication {
        case accepted(SimulatedCredential)
        case rejected(String)

        var credential: SimulatedCredential? {
            if case .accepted(let credential) = self { return credential }
            return nil
        }
    }

    /// An installation with the app it belongs to, and its repositories as a set (lower-cased "owner/name";
    /// nil for all of the organisation's), so scoping a request costs one lookup.
    struct InstallationRecord: Sendable {
        var app: SimulatedApp
        var installation: SimulatedInstallation
        var selected: Set<String>?

        init(app: SimulatedApp, installation: SimulatedInstallation) {
            self.app = app
            self.installation = installation
            let account = installation.account.lowercased()
            selected = installation.repositories.map { names in
                Set(names.map { $0.contains("/") ? $0.lowercased() : "\(account)/\($0.lowercased())" })
            }
        }

        func covers(_ fullName: String) -> Bool {
            let lower = fullName.lowercased()
            guard let selected else { return lower.hasPrefix(installation.account.lowercased() + "/") }
            return selected.contains(lower)
        }

        /// Every installation of `apps` by ID (the first wins if two share an ID).
        static func index(_ apps: [SimulatedApp]) -> [Int: InstallationRecord] {
            var index: [Int: InstallationRecord] = [:]
            for app in apps {
                for installation in app.installations where index[installation.id] == nil {
                    index[installation.id] = InstallationRecord(app: app, installation: installation)
                }
            }
            return index
        }
    }

    /// Reads the credential of a request: a GitHub App JWT, an installation token (`ghs_…`) or a personal
    /// access token. Without required tokens, requests without a known credential stay anonymous (as before
    /// apps existed).
    func authenticate(_ authorization: String?) -> Authentication {
        let anonymous: Authentication = acceptedTokens.isEmpty ? .accepted(.anonymous) : .rejected("Bad credentials")
        guard let authorization else { return anonymous }
        let parts = authorization.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["bearer", "token"].contains(parts[0].lowercased()) else { return anonymous }
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        if !apps.isEmpty {
            if AppJWTVerifier.looksLikeJWT(value) {
                switch verifier.verify(value, now: clock()) {
                case .success(let appID): return .accepted(.app(appID))
                case .failure(let rejection): return .rejected(rejection.message)
                }
            }
            if value.hasPrefix("ghs_") {
                let now = clock()
                guard let issued = state.withLock({ $0.tokens[value] }) else { return .rejected("Bad credentials") }
                guard now < issued.expiresAt else { return .rejected("Bad credentials") }
                return .accepted(.installation(issued.installationID))
            }
        }
        if let index = acceptedTokens.firstIndex(of: value) { return .accepted(.token(index + 1)) }
        return anonymous
    }

    /// The installation with this ID, and its app.
    func installationRecord(_ id: Int) -> InstallationRecord? {
        installations[id]
    }

    /// Whether `credential` may read the repository `fullName`: installation tokens see only their installation's.
    func canSee(_ credential: SimulatedCredential, _ fullName: String) -> Bool {
        guard case .installation(let id) = credential else { return true }
        return installationRecord(id)?.covers(fullName) ?? false
    }

    /// Ends the life of every installation token now: later requests with them answer 401 "Bad credentials".
    public func expireInstallationTokens() {
        let now = clock()
        state.withLock { state in
            for token in state.tokens.keys { state.tokens[token]?.expiresAt = now }
        }
    }

    /// How many installation tokens have been issued (tests check a client reuses its token).
    public var installationTokensIssued: Int {
        state.withLock { $0.issuedTokens }
    }

    /// `POST /app/installations/{installation_id}/access_tokens`; nil for any other POST.
    func postRoute(_ request: SimulatedHTTPRequest, baseURL: String, credential: SimulatedCredential) -> RouteResult? {
        let components = request.path.split(separator: "/").map(String.init)
        guard components.count == 4, components[0] == "app", components[1] == "installations", components[3] == "access_tokens"
        else { return nil }
        guard case .app(let appID) = credential else { return Self.jwtRequired() }
        guard let id = Int(components[2]), let record = installationRecord(id), record.app.id == appID else {
            return Self.errorResult(404, "Not Found")
        }
        let now = clock()
        let expiresAt = now.addingTimeInterval(installationTokenLifetime)
        let token = state.withLock { state -> String in
            state.issuedTokens += 1
            let token = Self.installationToken(installationID: id, serial: state.issuedTokens)
            state.tokens[token] = IssuedToken(installationID: id, expiresAt: expiresAt)
            return token
        }
        let body = """
            {"token":\(JSONText.string(token)),"expires_at":\(JSONText.date(expiresAt)),\
            "permissions":\(AppJSON.permissions),"repository_selection":"\(record.installation.repositorySelection)"}
            """
        return RouteResult(status: 201, body: body)
    }

    /// A `ghs_` token of GitHub's shape (36 base62 characters), distinct for every issue.
    static func installationToken(installationID: Int, serial: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var rng = SplitMix64(seed: SplitMix64.hash("installation-token:\(installationID):\(serial)"))
        return "ghs_" + String((0..<36).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }

    static func jwtRequired() -> RouteResult {
        errorResult(
            401,
            "A JSON web token could not be decoded: this endpoint authenticates a GitHub App by its JWT (Authorization: Bearer <jwt>)",
            documentation: "https://docs.github.com/rest/apps/apps")
    }

    /// The endpoints a GitHub App calls with its JWT: `/app`, `/app/installations[/{id}]`,
    /// `/orgs/{org}/installation`, `/repos/{owner}/{repo}/installation`. Nil when `components` is none of them.
    func appRoute(_ components: [String], request: SimulatedHTTPRequest, baseURL: String, credential: SimulatedCredential)
        -> RouteResult?
    {
        let isAppPath = components.first == "app"
        let isOrgInstallation = components.count == 3 && components[0] == "orgs" && components[2] == "installation"
        let isRepoInstallation = components.count == 4 && components[0] == "repos" && components[3] == "installation"
        guard isAppPath || isOrgInstallation || isRepoInstallation else { return nil }
        guard case .app(let appID) = credential, let app = apps.first(where: { $0.id == appID }) else {
            return Self.jwtRequired()
        }
        let json = AppJSON(base: baseURL, app: app)
        if isOrgInstallation {
            let org = components[1].lowercased()
            guard let installation = app.installations.first(where: { $0.account.lowercased() == org }) else {
                return Self.errorResult(404, "Not Found")
            }
            return RouteResult(status: 200, body: json.installation(installation))
        }
        if isRepoInstallation {
            let fullName = "\(components[1])/\(components[2])"
            let covering = app.installations.first { installations[$0.id]?.covers(fullName) == true }
            guard repository(fullName) != nil, let installation = covering else {
                return Self.errorResult(404, "Not Found")
            }
            return RouteResult(status: 200, body: json.installation(installation))
        }
        switch components.count {
        case 1:
            return RouteResult(status: 200, body: json.integration())
        case 2 where components[1] == "installations":
            let installations = app.installations
            return listPage(request, baseURL: baseURL, count: installations.count) { json.installation(installations[$0]) }
        case 3 where components[1] == "installations":
            guard let id = Int(components[2]), let installation = app.installations.first(where: { $0.id == id }) else {
                return Self.errorResult(404, "Not Found")
            }
            return RouteResult(status: 200, body: json.installation(installation))
        default:
            return Self.errorResult(404, "Not Found")
        }
    }
}
