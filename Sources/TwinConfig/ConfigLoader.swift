import Dora
import Foundation

/// Reads `config.json`, applies environment overrides and validates everything into a
/// `TwinConfiguration`. Errors name the key, the value and what is allowed. A file in the Python
/// prototype's format is recognised and converted (with a warning).
public struct ConfigLoader: Sendable {
    public var environment: [String: String]
    /// The reference time for relative `since` values such as `"365d"`.
    public var now: Date
    /// Reads a secret file (`github.tokenFile`, `neo4j.passwordFile`, …); nil when unreadable.
    public var readSecretFile: @Sendable (String) -> String?
    /// The metric family names `exporter.exclude.families` may name (the exporter's catalogue); nil: names are
    /// only checked for their form. The commands set it, so an unknown name fails at load.
    public var knownMetricFamilies: Set<String>?

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date(),
        readSecretFile: @escaping @Sendable (String) -> String? = { path in
            FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
        }
    ) {
        self.environment = environment
        self.now = now
        self.readSecretFile = readSecretFile
    }

    /// Loads the file at `path`. A missing file is an error that says how to create one.
    public func load(path: String) throws(ConfigError) -> LoadedConfiguration {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(
                key: "",
                message: "no configuration file at '\(path)'. Copy config.example.json to config.json and edit it, or pass --config PATH."
            )
        }
        guard !isDirectory.boolValue else {
            throw ConfigError(
                key: "",
                message: "'\(path)' is a folder, not a configuration file. Docker creates an empty folder when a mounted "
                    + "config.json is missing: remove that folder, copy config.example.json to config.json and edit it."
            )
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(key: "", message: "cannot read '\(path)': \(error.localizedDescription)")
        }
        return try load(data: data, origin: path)
    }

    /// Loads configuration text. `origin` names it in errors.
    public func load(data: Data, origin: String = "config.json") throws(ConfigError) -> LoadedConfiguration {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ConfigError(key: "", message: "'\(origin)' is not valid JSON (\(ConfigLoader.describe(decoding: error))). Check commas, quotes and brackets.")
        }
        guard case .object(var object) = root else {
            throw ConfigError(key: "", message: "'\(origin)' must hold a JSON object at the top level, found \(root.described)")
        }
        var warnings: [String] = []
        if PrototypeConfigConverter.looksLikePrototype(object) {
            let converted = try PrototypeConfigConverter.convert(object)
            object = converted.object
            warnings.append("'\(origin)' is in the Python prototype's format; it was converted. Run `devops-twin convert-config` to write the new format.")
            warnings += converted.warnings
        }
        var configuration = try parse(ConfigNode(path: "", object: object))
        try applyEnvironment(to: &configuration)
        if configuration.webhooks?.useExporterTLS == true, configuration.exporter.tls == nil {
            throw ConfigError(
                key: "webhooks.useExporterTLS",
                message: "needs exporter.tls (certFile and keyFile) to reuse; set them, or serve the receiver through a TLS reverse proxy (docs/webhooks.md)")
        }
        if configuration.sync.interval < 60 {
            warnings.append("sync.interval \(DurationText.format(configuration.sync.interval)) is under a minute: fine for tests and the simulator, wasteful against GitHub")
        }
        if let password = configuration.neo4j?.password {
            warnings += Self.neo4jImagePasswordProblems(password)
        }
        return LoadedConfiguration(configuration: configuration, warnings: warnings)
    }

    /// What the official Neo4j image refuses in `NEO4J_AUTH=neo4j/PASSWORD` (its entrypoint and Neo4j's
    /// minimum password length), said without the password itself.
    static func neo4jImagePasswordProblems(_ password: Secret) -> [String] {
        var problems: [String] = []
        let text = password.value
        if text.contains("/") {
            problems.append("the Neo4j password contains '/': the Neo4j Docker image reads NEO4J_AUTH as neo4j/PASSWORD and refuses it; choose one without '/'")
        }
        if text.count < 8 {
            problems.append("the Neo4j password has \(text.count) characters: Neo4j 5 refuses passwords shorter than 8 (dbms.security.auth_minimum_password_length)")
        }
        if text == "neo4j" {
            problems.append("the Neo4j password is 'neo4j', the default the Neo4j image refuses; choose another")
        }
        if !problems.isEmpty {
            problems.append("note: the Neo4j image sets the password only when its data volume is new; after changing it, also change it in Neo4j (ALTER USER) or remove the neo4j-data volume")
        }
        return problems
    }

    // MARK: - Sections

    static let topLevelKeys = ["github", "store", "sync", "exporter", "neo4j", "dora", "repositories", "organizations", "groups", "webhooks"]

    private func parse(_ rootNode: ConfigNode) throws(ConfigError) -> TwinConfiguration {
        var root = rootNode
        var github = GitHubSettings()
        if var node = try root.object("github") {
            if let url = try node.string("apiUrl") { github.apiURL = try Self.httpURL(url, key: node.keyPath("apiUrl")) }
            if let version = try node.string("apiVersion") {
                guard version.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil else {
                    throw ConfigError(key: node.keyPath("apiVersion"), message: "\"\(version)\" is not a GitHub API version; expected a date such as \"2022-11-28\"")
                }
                github.apiVersion = version
            }
            if let agent = try node.string("userAgent") {
                guard !agent.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw ConfigError(key: node.keyPath("userAgent"), message: "must not be empty: GitHub rejects requests without a User-Agent")
                }
                github.userAgent = agent
            }
            // The environment wins over a secret file, so one config serves both (compose sets GITHUB_TOKEN).
            if let file = try node.string("tokenFile"), !hasEnvironment("GITHUB_TOKEN") {
                github.token = try secret(fromFile: file, key: node.keyPath("tokenFile"))
            }
            if let wait = try node.duration("maxRateLimitWait", range: 0...86_400) { github.maxRateLimitWait = wait }
            if let timeout = try node.duration("requestTimeout", range: 1...600) { github.requestTimeout = timeout }
            if let retries = try node.int("maxRetries", range: 0...20) { github.maxRetries = retries }
            if node.has("token") {
                throw ConfigError(key: node.keyPath("token"), message: "tokens do not belong in config.json; set the GITHUB_TOKEN environment variable or github.tokenFile")
            }
            try parseCredentials(&node, into: &github)
            try node.rejectUnknownKeys(known: [
                "apiUrl", "apiVersion", "userAgent", "tokenFile", "maxRateLimitWait", "requestTimeout", "maxRetries", "app", "apps",
                "tokens",
            ])
        }

        var store = StoreSettings()
        if var node = try root.object("store") {
            if let path = try node.string("path") {
                guard !path.isEmpty else { throw ConfigError(key: node.keyPath("path"), message: "must not be empty") }
                store.path = path
            }
            try node.rejectUnknownKeys(known: ["path"])
        }

        var sync = SyncSettings()
        var intervalIsSet = false
        if var node = try root.object("sync") {
            if let interval = try node.duration("interval", range: 0.1...(7 * 86_400)) {
                sync.interval = interval
                intervalIsSet = true
            }
            if let concurrency = try node.int("concurrency", range: 1...16) { sync.concurrency = concurrency }
            if let horizon = try node.duration("shallowHorizon", range: 0...(3650 * 86_400)) { sync.shallowHorizon = horizon }
            if let reserve = try node.int("budgetReserve", range: 0...100_000) { sync.budgetReserve = reserve }
            try node.rejectUnknownKeys(known: ["interval", "concurrency", "shallowHorizon", "budgetReserve"])
        }

        var exporter = ExporterSettings()
        if var node = try root.object("exporter") {
            if let address = try node.string("listenAddress") {
                (exporter.listenHost, exporter.listenPort) = try Self.listenAddress(address, key: node.keyPath("listenAddress"))
            }
            if var auth = try node.object("basicAuth") {
                guard let user = try auth.string("user"), !user.isEmpty else {
                    throw ConfigError(key: auth.keyPath("user"), message: "required when basicAuth is set")
                }
                exporter.basicAuthUser = user
                if let file = try auth.string("passwordFile"), !hasEnvironment("DEVOPS_TWIN_METRICS_PASSWORD") {
                    exporter.basicAuthPassword = try secret(fromFile: file, key: auth.keyPath("passwordFile"))
                }
                try auth.rejectUnknownKeys(known: ["user", "passwordFile"])
            }
            if var tls = try node.object("tls") {
                exporter.tls = try exporterTLS(&tls)
            }
            if var exclude = try node.object("exclude") {
                exporter.excludeFamilies = try exclude.strings("families") ?? []
                exporter.excludeWindows = try exclude.strings("windows") ?? []
                for (index, family) in exporter.excludeFamilies.enumerated() {
                    let key = "\(exclude.keyPath("families"))[\(index)]"
                    guard family.range(of: #"^devops_twin_[a-z0-9_]+$"#, options: .regularExpression) != nil else {
                        throw ConfigError(key: key, message: "\"\(family)\" is not a devops-twin metric family name (e.g. \"devops_twin_ci_runs\")")
                    }
                    if let known = knownMetricFamilies, !known.contains(family) {
                        let hint = ConfigNode.closest(to: family, in: known.sorted()).map { "; did you mean \"\($0)\"?" } ?? ""
                        throw ConfigError(key: key, message: "unknown metric family \"\(family)\" (docs/metrics.md lists them)\(hint)")
                    }
                }
                try exclude.rejectUnknownKeys(known: ["families", "windows"])
            }
            try node.rejectUnknownKeys(known: ["listenAddress", "basicAuth", "tls", "exclude"])
        }

        var neo4j: Neo4jSettings?
        if var node = try root.object("neo4j") {
            guard let url = try node.string("url") else {
                throw ConfigError(key: node.keyPath("url"), message: "required when the neo4j section is present (e.g. \"http://localhost:7474\"); remove the section to run without Neo4j")
            }
            var settings = Neo4jSettings(url: try Self.httpURL(url, key: node.keyPath("url"), neo4j: true))
            if let database = try node.string("database") {
                guard database.range(of: #"^[A-Za-z][A-Za-z0-9.\-]{0,62}$"#, options: .regularExpression) != nil else {
                    throw ConfigError(key: node.keyPath("database"), message: "\"\(database)\" is not a valid Neo4j database name")
                }
                settings.database = database
            }
            if let user = try node.string("user") { settings.user = user }
            if let file = try node.string("passwordFile"), !hasEnvironment("NEO4J_PASSWORD") {
                settings.password = try secret(fromFile: file, key: node.keyPath("passwordFile"))
            }
            if let batch = try node.int("batchSize", range: 1...50_000) { settings.batchSize = batch }
            if let timeout = try node.duration("requestTimeout", range: 1...600) { settings.requestTimeout = timeout }
            if node.has("password") {
                throw ConfigError(key: node.keyPath("password"), message: "passwords do not belong in config.json; set NEO4J_PASSWORD or neo4j.passwordFile")
            }
            try node.rejectUnknownKeys(known: ["url", "database", "user", "passwordFile", "batchSize", "requestTimeout"])
            neo4j = settings
        }

        var dora = DoraSettings()
        if var node = try root.object("dora") {
            if let windows = try node.strings("windows") {
                dora.windows = try windows.enumerated().map { (index, text) throws(ConfigError) in
                    try Self.window(text, key: "\(node.keyPath("windows"))[\(index)]")
                }
                guard !dora.windows.isEmpty else { throw ConfigError(key: node.keyPath("windows"), message: "must list at least one window") }
                let names = dora.windows.map(\.name)
                guard Set(names).count == names.count else { throw ConfigError(key: node.keyPath("windows"), message: "lists a window twice") }
            }
            if let benchmark = try node.string("benchmark") { dora.benchmark = try Self.benchmark(benchmark, key: node.keyPath("benchmark")) }
            try node.rejectUnknownKeys(known: ["windows", "benchmark"])
        }

        let organizations = try parseOrganizations(try root.objects("organizations") ?? [], benchmark: dora.benchmark)
        let repositoryNodes = try root.objects("repositories") ?? []
        guard !repositoryNodes.isEmpty || !organizations.isEmpty else {
            throw ConfigError(
                key: "repositories",
                message: "list at least one repository, e.g. [{\"name\": \"owner/repo\"}], or an organisation under \"organizations\"")
        }
        var repositories: [RepositorySettings] = []
        for node in repositoryNodes {
            var repository = try parseRepository(node, benchmark: dora.benchmark)
            repository.definitions.benchmark = dora.benchmark
            guard !repositories.contains(where: { $0.name.lowercased() == repository.name.lowercased() }) else {
                throw ConfigError(key: node.keyPath("name"), message: "repository \"\(repository.name)\" is listed twice")
            }
            repositories.append(repository)
        }
        let groups = try parseGroups(
            try root.objects("groups") ?? [], repositories: repositories.map(\.name), organizations: organizations.map(\.name))
        var webhooks: WebhookSettings?
        if var node = try root.object("webhooks") {
            webhooks = try parseWebhooks(&node)
            // Webhooks make it fast; polling becomes the reconciliation and can run less often.
            if !intervalIsSet { sync.interval = WebhookSettings.reconciliationInterval }
        }
        let windowNames = dora.windows.map(\.name)
        for (index, window) in exporter.excludeWindows.enumerated() where !windowNames.contains(window) {
            throw ConfigError(
                key: "exporter.exclude.windows[\(index)]",
                message: "\"\(window)\" is not one of dora.windows (\(windowNames.joined(separator: ", ")))")
        }
        try root.rejectUnknownKeys(known: Self.topLevelKeys)
        return TwinConfiguration(
            github: github, store: store, sync: sync, exporter: exporter, neo4j: neo4j, dora: dora, repositories: repositories,
            groups: groups, organizations: organizations, webhooks: webhooks)
    }

    private func parseGroups(_ nodes: [ConfigNode], repositories: [String], organizations: [String]) throws(ConfigError) -> [GroupSettings] {
        var groups: [GroupSettings] = []
        for groupNode in nodes {
            var node = groupNode
            guard let name = try node.string("name") else {
                throw ConfigError(key: node.keyPath("name"), message: "required: the group's name, e.g. \"payments\"")
            }
            guard name.range(of: #"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,62}$"#, options: .regularExpression) != nil else {
                throw ConfigError(key: node.keyPath("name"), message: "\"\(name)\" is not a group name: use letters, digits, '-', '_' and '.'")
            }
            guard !groups.contains(where: { $0.name == name }) else {
                throw ConfigError(key: node.keyPath("name"), message: "group \"\(name)\" is defined twice")
            }
            guard let patterns = try node.strings("repositories"), !patterns.isEmpty else {
                throw ConfigError(
                    key: node.keyPath("repositories"),
                    message: "list the group's repositories: configured names or patterns such as \"acme/pay-*\"")
            }
            for (index, pattern) in patterns.enumerated() {
                // A pattern for a discovered organisation's repositories is checked when they are discovered.
                let owner = pattern.split(separator: "/", maxSplits: 1).first.map { String($0).lowercased() } ?? ""
                if organizations.contains(where: { $0.lowercased() == owner }) { continue }
                guard repositories.contains(where: { GroupSettings.matches($0, pattern: pattern) }) else {
                    throw ConfigError(
                        key: "\(node.keyPath("repositories"))[\(index)]",
                        message: "\"\(pattern)\" matches no configured repository; a group holds repositories listed under \"repositories\" or discovered from \"organizations\"")
                }
            }
            let members = repositories.filter { repository in patterns.contains { GroupSettings.matches(repository, pattern: $0) } }
            try node.rejectUnknownKeys(known: ["name", "repositories"])
            groups.append(GroupSettings(name: name, patterns: patterns, repositories: members))
        }
        return groups
    }

    func parseRepository(_ repositoryNode: ConfigNode, benchmark: DoraDefinitions.Benchmark) throws(ConfigError) -> RepositorySettings {
        var node = repositoryNode
        guard let rawName = try node.string("name") else {
            throw ConfigError(key: node.keyPath("name"), message: "required: the repository as \"owner/name\"")
        }
        let name = try Self.repositoryName(rawName, key: node.keyPath("name"))
        var sources = DataSources(all: name)
        if var sourceNode = try node.object("sources") {
            if let value = try sourceNode.string("commits") { sources.commits = try Self.repositoryName(value, key: sourceNode.keyPath("commits")) }
            if let value = try sourceNode.string("deployments") { sources.deployments = try Self.repositoryName(value, key: sourceNode.keyPath("deployments")) }
            if let value = try sourceNode.string("issues") { sources.issues = try Self.repositoryName(value, key: sourceNode.keyPath("issues")) }
            if let value = try sourceNode.string("workflowRuns") { sources.workflowRuns = try Self.repositoryName(value, key: sourceNode.keyPath("workflowRuns")) }
            try sourceNode.rejectUnknownKeys(known: ["commits", "deployments", "issues", "workflowRuns"])
        }
        let branch = try node.string("branch") ?? "main"
        guard Self.isValidBranch(branch) else {
            throw ConfigError(key: node.keyPath("branch"), message: "\"\(branch)\" is not a valid branch name")
        }
        var since: Date?
        if let text = try node.string("since") { since = try sinceDate(text, key: node.keyPath("since")) }

        var definitions = DoraDefinitions(trackedBranch: branch, benchmark: benchmark)
        if var deployNode = try node.object("deployments") {
            let source = try deployNode.string("source") ?? "releases"
            let includePrereleases = try deployNode.bool("includePrereleases") ?? false
            let workflows = try deployNode.strings("workflows") ?? []
            let environmentPattern = try deployNode.string("environmentPattern") ?? "^production$"
            switch source {
            case "releases":
                definitions.deploymentSource = .releases(includePrereleases: includePrereleases)
            case "tags":
                definitions.deploymentSource = .tags
            case "workflow":
                guard !workflows.isEmpty else {
                    throw ConfigError(key: deployNode.keyPath("workflows"), message: "required with source \"workflow\": the names (or file paths) of the deploying workflows")
                }
                definitions.deploymentSource = .workflow(names: workflows)
            case "deployments":
                try Self.regex(environmentPattern, key: deployNode.keyPath("environmentPattern"))
                definitions.deploymentSource = .deployments(environmentPattern: environmentPattern)
            default:
                throw ConfigError(key: deployNode.keyPath("source"), message: "\"\(source)\" is not a deployment source; allowed: releases, tags, workflow, deployments")
            }
            if let pattern = try deployNode.string("pattern") {
                try Self.regex(pattern, key: deployNode.keyPath("pattern"))
                definitions.deploymentPattern = pattern
            }
            try deployNode.rejectUnknownKeys(known: ["source", "pattern", "includePrereleases", "workflows", "environmentPattern"])
        }
        if var incidentNode = try node.object("incidents") {
            if let rules = incidentNode.raw("rules") {
                definitions.incidentRules = try Self.incidentRules(rules, key: incidentNode.keyPath("rules"))
            }
            if let window = try incidentNode.duration("attributionWindow", range: 0...(365 * 86_400)) { definitions.attributionWindow = window }
            try parseIncidentSource(&incidentNode, into: &definitions)
            try incidentNode.rejectUnknownKeys(known: ["rules", "attributionWindow", "source", "alerts"])
        }
        if var leadNode = try node.object("leadTime") {
            if let commitTime = try leadNode.string("commitTime") {
                guard let value = DoraDefinitions.CommitTime(rawValue: commitTime) else {
                    throw ConfigError(key: leadNode.keyPath("commitTime"), message: "\"\(commitTime)\" is not allowed; use \"committed\" or \"authored\"")
                }
                definitions.commitTime = value
            }
            if let baseline = try leadNode.bool("includeBaseline") { definitions.includeBaseline = baseline }
            try leadNode.rejectUnknownKeys(known: ["commitTime", "includeBaseline"])
        }
        if let workflows = try node.strings("ciWorkflows") {
            guard !workflows.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
                throw ConfigError(key: node.keyPath("ciWorkflows"), message: "workflow names must not be empty")
            }
            definitions.ciWorkflows = workflows
        }
        if let services = try Self.services(&node) { definitions.alerts.services = services }
        try node.rejectUnknownKeys(known: ["name", "sources", "branch", "since", "deployments", "incidents", "leadTime", "ciWorkflows", "services"])
        return RepositorySettings(name: name, sources: sources, branch: branch, since: since, definitions: definitions)
    }

    // MARK: - Environment

    func hasEnvironment(_ name: String) -> Bool { !(environment[name] ?? "").isEmpty }

    private func applyEnvironment(to configuration: inout TwinConfiguration) throws(ConfigError) {
        func value(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        if let url = value("DEVOPS_TWIN_GITHUB_API_URL") { configuration.github.apiURL = try Self.httpURL(url, key: "DEVOPS_TWIN_GITHUB_API_URL") }
        if let path = value("DEVOPS_TWIN_STORE_PATH") { configuration.store.path = path }
        if let address = value("DEVOPS_TWIN_LISTEN_ADDRESS") {
            (configuration.exporter.listenHost, configuration.exporter.listenPort) = try Self.listenAddress(address, key: "DEVOPS_TWIN_LISTEN_ADDRESS")
        }
        if let interval = value("DEVOPS_TWIN_SYNC_INTERVAL") {
            guard let seconds = DurationText.parse(interval), (0.1...(7 * 86_400)).contains(seconds) else {
                throw ConfigError(key: "DEVOPS_TWIN_SYNC_INTERVAL", message: "\"\(interval)\" is not a duration between 0.1s and 7d")
            }
            configuration.sync.interval = seconds
        }
        if let token = value("GITHUB_TOKEN") {
            configuration.github.token = Secret(token.trimmingCharacters(in: .whitespacesAndNewlines))
        } else if let file = value("GITHUB_TOKEN_FILE") {
            configuration.github.token = try secret(fromFile: file, key: "GITHUB_TOKEN_FILE")
        }
        if let url = value("NEO4J_URL") {
            let checked = try Self.httpURL(url, key: "NEO4J_URL", neo4j: true)
            if configuration.neo4j == nil { configuration.neo4j = Neo4jSettings(url: checked) } else { configuration.neo4j?.url = checked }
        }
        if configuration.neo4j != nil {
            if let database = value("NEO4J_DATABASE") { configuration.neo4j?.database = database }
            if let user = value("NEO4J_USER") { configuration.neo4j?.user = user }
            if let password = value("NEO4J_PASSWORD") {
                configuration.neo4j?.password = Secret(password)
            } else if let file = value("NEO4J_PASSWORD_FILE") {
                configuration.neo4j?.password = try secret(fromFile: file, key: "NEO4J_PASSWORD_FILE")
            }
        }
        try applyAppEnvironment(to: &configuration)
        if let password = value("DEVOPS_TWIN_METRICS_PASSWORD") {
            guard configuration.exporter.basicAuthUser != nil else {
                throw ConfigError(key: "DEVOPS_TWIN_METRICS_PASSWORD", message: "set exporter.basicAuth.user in config.json to use a metrics password")
            }
            configuration.exporter.basicAuthPassword = Secret(password)
        }
        if configuration.exporter.basicAuthUser != nil, configuration.exporter.basicAuthPassword == nil {
            throw ConfigError(key: "exporter.basicAuth", message: "a user is set but no password: set DEVOPS_TWIN_METRICS_PASSWORD or exporter.basicAuth.passwordFile")
        }
    }

    /// `webhooks`: a listen address of its own and a secret (environment first, then `secretFile`).
    private func parseWebhooks(_ node: inout ConfigNode) throws(ConfigError) -> WebhookSettings {
        let maxBody = try node.int("maxBodyBytes", range: 1024...WebhookSettings.maximumBodyBytes)
        let window = try node.duration("coalesceWindow", range: 0...60)
        if node.has("secret") {
            throw ConfigError(
                key: node.keyPath("secret"),
                message: "secrets do not belong in config.json; set DEVOPS_TWIN_WEBHOOK_SECRET or webhooks.secretFile")
        }
        let file = try node.string("secretFile")
        let listenAddress = try node.string("listenAddress")
        let useExporterTLS = try node.bool("useExporterTLS") ?? false
        var alertReceiver: AlertReceiverSettings?
        if var alertNode = try node.object("alertmanager") { alertReceiver = try parseAlertReceiver(&alertNode) }
        let peerTemplate = try node.string("peerUrlTemplate")
        if let peerTemplate {
            let lowered = peerTemplate.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), peerTemplate.contains("{ordinal}") else {
                throw ConfigError(
                    key: node.keyPath("peerUrlTemplate"),
                    message: "\"\(peerTemplate)\" must be an http(s) URL containing {ordinal}, e.g. \"\(WebhookSettings.defaultPeerURLTemplate)\"")
            }
        }
        try node.rejectUnknownKeys(known: ["listenAddress", "secretFile", "maxBodyBytes", "coalesceWindow", "useExporterTLS", "peerUrlTemplate", "alertmanager"])
        guard let address = listenAddress else {
            throw ConfigError(
                key: node.keyPath("listenAddress"),
                message: "required when the webhooks section is present (e.g. \"0.0.0.0:9867\", a port other than the exporter's); remove the section to run without webhooks")
        }
        let (host, port) = try Self.listenAddress(address, key: node.keyPath("listenAddress"))
        guard let secret = try secret(environment: "DEVOPS_TWIN_WEBHOOK_SECRET", file: file, fileKey: node.keyPath("secretFile")) else {
            throw ConfigError(
                key: node.keyPath("secretFile"),
                message: "the webhook receiver needs the secret set on GitHub's webhook: set DEVOPS_TWIN_WEBHOOK_SECRET or webhooks.secretFile")
        }
        var settings = WebhookSettings(listenHost: host, listenPort: port, secret: secret)
        settings.useExporterTLS = useExporterTLS
        settings.peerURLTemplate = peerTemplate
        settings.alertmanager = alertReceiver
        if let maxBody { settings.maxBodyBytes = maxBody }
        if let window { settings.coalesceWindow = window }
        return settings
    }

    /// `exporter.tls`: both PEM files required, each readable and holding the expected PEM block.
    private func exporterTLS(_ node: inout ConfigNode) throws(ConfigError) -> ExporterSettings.TLS {
        func pemFile(_ key: String, required: Bool, block: String, what: String) throws(ConfigError) -> String? {
            guard let path = try node.string(key) else {
                guard !required else {
                    throw ConfigError(
                        key: node.keyPath(key),
                        message: "required when exporter.tls is set: the path of \(what) in PEM format; remove exporter.tls to serve plain HTTP")
                }
                return nil
            }
            guard !path.isEmpty else { throw ConfigError(key: node.keyPath(key), message: "is empty: give the path of \(what) in PEM format") }
            guard let text = readSecretFile(path) else {
                throw ConfigError(key: node.keyPath(key), message: "cannot read '\(path)' (\(what)); check the path and its permissions")
            }
            guard text.contains("-----BEGIN "), text.contains(block) else {
                throw ConfigError(key: node.keyPath(key), message: "'\(path)' holds no PEM \(block) block: expected \(what) in PEM format")
            }
            return path
        }
        let certFile = try pemFile("certFile", required: true, block: "CERTIFICATE", what: "the server certificate (chain)")
        let keyFile = try pemFile("keyFile", required: true, block: "PRIVATE KEY", what: "the server's private key")
        let clientCAFile = try pemFile("clientCAFile", required: false, block: "CERTIFICATE", what: "the CA certificates client certificates must chain to")
        try node.rejectUnknownKeys(known: ["certFile", "keyFile", "clientCAFile"])
        guard let certFile, let keyFile else {
            throw ConfigError(key: node.path, message: "needs certFile and keyFile")
        }
        return ExporterSettings.TLS(certFile: certFile, keyFile: keyFile, clientCAFile: clientCAFile)
    }

    func secret(fromFile path: String, key: String) throws(ConfigError) -> Secret {
        guard let text = readSecretFile(path) else {
            throw ConfigError(key: key, message: "cannot read the secret file '\(path)'; check the path and its permissions")
        }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else { throw ConfigError(key: key, message: "the secret file '\(path)' is empty") }
        return Secret(secret, source: .file(path))
    }

    // MARK: - Value checks

    static func repositoryName(_ text: String, key: String) throws(ConfigError) -> String {
        var name = text.trimmingCharacters(in: .whitespaces)
        // The prototype wrote sources as URLs: https://github.com/owner/name(.git)
        for prefix in ["https://github.com/", "http://github.com/", "github.com/"] where name.lowercased().hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
        }
        if name.hasSuffix(".git") { name = String(name.dropLast(4)) }
        if name.hasSuffix("/") { name = String(name.dropLast()) }
        guard name.range(of: #"^[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+$"#, options: .regularExpression) != nil else {
            throw ConfigError(key: key, message: "\"\(text)\" is not a repository; expected \"owner/name\"")
        }
        return name
    }

    static func isValidBranch(_ branch: String) -> Bool {
        !branch.isEmpty && !branch.contains("..") && !branch.hasPrefix("/") && !branch.hasSuffix("/")
            && !branch.hasSuffix(".lock") && branch.rangeOfCharacter(from: CharacterSet(charactersIn: " ~^:?*[\\")) == nil
            && !branch.unicodeScalars.contains { $0.value < 32 || $0.value == 127 }
    }

    static func httpURL(_ text: String, key: String, neo4j: Bool = false) throws(ConfigError) -> String {
        var url = text.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        if neo4j, url.hasPrefix("bolt://") || url.hasPrefix("neo4j://") || url.hasPrefix("neo4j+s://") {
            throw ConfigError(key: key, message: "\"\(text)\" is a Bolt URL; devops-twin talks to Neo4j over HTTP: use http://HOST:7474 (or https://HOST:7473)")
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw ConfigError(key: key, message: "\"\(text)\" is not an http(s) URL")
        }
        return url
    }

    static func listenAddress(_ text: String, key: String) throws(ConfigError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":") else {
            throw ConfigError(key: key, message: "\"\(text)\" is not HOST:PORT (e.g. \"127.0.0.1:9866\" or \"0.0.0.0:9866\")")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        guard let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ConfigError(key: key, message: "\"\(text)\" has no valid port (0…65535)")
        }
        return (host, port)
    }

    public static func window(_ text: String, key: String) throws(ConfigError) -> DoraWindow {
        if text == "all" { return .all }
        guard let seconds = DurationText.parse(text), seconds >= 3600, seconds <= 3660 * 86_400, text.last?.isLetter == true else {
            throw ConfigError(key: key, message: "\"\(text)\" is not a window; use \"all\" or a length such as \"7d\", \"30d\", \"12w\" (at least 1h)")
        }
        return DoraWindow(name: text, length: seconds)
    }

    static func benchmark(_ text: String, key: String) throws(ConfigError) -> DoraDefinitions.Benchmark {
        guard let benchmark = DoraDefinitions.Benchmark(rawValue: text) else {
            throw ConfigError(key: key, message: "\"\(text)\" is not a benchmark table; allowed: 2023, 2021")
        }
        return benchmark
    }

    static func regex(_ pattern: String, key: String) throws(ConfigError) {
        do {
            _ = try NSRegularExpression(pattern: pattern)
        } catch {
            throw ConfigError(key: key, message: "\"\(pattern)\" is not a valid regular expression")
        }
    }

    /// Rules: a list whose items are a label (`"incident"`), an AND of labels written `"bug&prod"`, or a list of labels.
    static func incidentRules(_ value: JSONValue, key: String) throws(ConfigError) -> [[String]] {
        let items: [JSONValue]
        switch value {
        case .string: items = [value]
        case .array(let array): items = array
        default: throw ConfigError(key: key, message: "expected a list of rules such as [\"incident\", \"bug&prod\"], found \(value.described)")
        }
        var rules: [[String]] = []
        for (index, item) in items.enumerated() {
            let labels: [String]
            switch item {
            case .string(let text): labels = text.split(separator: "&", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            case .array(let parts):
                var collected: [String] = []
                for part in parts {
                    guard case .string(let label) = part else {
                        throw ConfigError(key: "\(key)[\(index)]", message: "expected label names, found \(part.described)")
                    }
                    collected.append(label.trimmingCharacters(in: .whitespaces))
                }
                labels = collected
            default:
                throw ConfigError(key: "\(key)[\(index)]", message: "expected \"label\" or \"a&b\", found \(item.described)")
            }
            guard !labels.isEmpty, !labels.contains(where: \.isEmpty) else {
                throw ConfigError(key: "\(key)[\(index)]", message: "a rule needs label names on both sides of '&'")
            }
            rules.append(labels)
        }
        guard !rules.isEmpty else { throw ConfigError(key: key, message: "list at least one rule, e.g. [\"incident\"]") }
        return rules
    }

    func sinceDate(_ text: String, key: String) throws(ConfigError) -> Date {
        if let seconds = DurationText.parse(text), text.last?.isLetter == true {
            return now.addingTimeInterval(-seconds)
        }
        if let date = Self.parseDate(text) { return date }
        throw ConfigError(key: key, message: "\"\(text)\" is not a date; use \"2024-01-31\", \"2024-01-31T00:00:00Z\" or a look-back such as \"365d\"")
    }

    public static func parseDate(_ text: String) -> Date? {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }

    static func describe(decoding error: any Error) -> String {
        if let decoding = error as? DecodingError, case .dataCorrupted(let context) = decoding {
            if let underlying = context.underlyingError { return "\(underlying.localizedDescription)" }
            return context.debugDescription
        }
        return "\(error)"
    }
}
