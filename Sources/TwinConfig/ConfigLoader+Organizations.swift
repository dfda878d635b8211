import Dora
import Foundation

/// `organizations`, `github.app(s)` and `github.tokens`: discovery and credentials.
extension ConfigLoader {
    /// `github.app` (one App), `github.apps` (several) and `github.tokens` (more PATs, each for some owners).
    func parseCredentials(_ node: inout ConfigNode, into github: inout GitHubSettings) throws(ConfigError) {
        var appNodes: [ConfigNode] = []
        if let app = try node.object("app") { appNodes.append(app) }
        appNodes += try node.objects("apps") ?? []
        for var app in appNodes {
            let id: String
            if case .string(let text)? = app.raw("id") {
                guard !text.isEmpty, text.allSatisfy(\.isNumber) else {
                    throw ConfigError(key: app.keyPath("id"), message: "\"\(text)\" is not an App id (a number, on the App's settings page)")
                }
                id = text
            } else if let number = try app.int("id", range: 1...Int(Int32.max)) {
                id = String(number)
            } else {
                throw ConfigError(key: app.keyPath("id"), message: "required: the App's id (a number, on the App's settings page)")
            }
            if app.has("privateKey") {
                throw ConfigError(
                    key: app.keyPath("privateKey"),
                    message: "private keys do not belong in config.json; set privateKeyFile (a mounted secret) or privateKeyEnv")
            }
            let key: Secret
            if let file = try app.string("privateKeyFile") {
                key = try secret(fromFile: file, key: app.keyPath("privateKeyFile"))
            } else if let variable = try app.string("privateKeyEnv") {
                guard let value = environment[variable], !value.isEmpty else {
                    throw ConfigError(key: app.keyPath("privateKeyEnv"), message: "the environment variable \(variable) is not set")
                }
                key = Secret(value, source: .environment(variable))
            } else {
                throw ConfigError(
                    key: app.keyPath("privateKeyFile"),
                    message: "required: the path of the App's private key (.pem, downloaded from the App's settings), or privateKeyEnv")
            }
            try Self.checkPrivateKey(key, key: app.keyPath("privateKeyFile"))
            try app.rejectUnknownKeys(known: ["id", "privateKeyFile", "privateKeyEnv"])
            guard !github.apps.contains(where: { $0.id == id }) else {
                throw ConfigError(key: app.keyPath("id"), message: "App \(id) is configured twice")
            }
            github.apps.append(GitHubAppSettings(id: id, privateKey: key))
        }
        for var tokenNode in try node.objects("tokens") ?? [] {
            guard let name = try tokenNode.string("name"),
                name.range(of: #"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,62}$"#, options: .regularExpression) != nil
            else {
                throw ConfigError(key: tokenNode.keyPath("name"), message: "required: a name for the credential label, e.g. \"ops\"")
            }
            if tokenNode.has("token") {
                throw ConfigError(key: tokenNode.keyPath("token"), message: "tokens do not belong in config.json; set tokenFile or tokenEnv")
            }
            let token: Secret
            if let file = try tokenNode.string("tokenFile") {
                token = try secret(fromFile: file, key: tokenNode.keyPath("tokenFile"))
            } else if let variable = try tokenNode.string("tokenEnv") {
                guard let value = environment[variable], !value.isEmpty else {
                    throw ConfigError(key: tokenNode.keyPath("tokenEnv"), message: "the environment variable \(variable) is not set")
                }
                token = Secret(value.trimmingCharacters(in: .whitespacesAndNewlines), source: .environment(variable))
            } else {
                throw ConfigError(key: tokenNode.keyPath("tokenFile"), message: "required: tokenFile or tokenEnv")
            }
            guard let owners = try tokenNode.strings("owners"), !owners.isEmpty else {
                throw ConfigError(key: tokenNode.keyPath("owners"), message: "list the owners (users or organisations) this token syncs")
            }
            try tokenNode.rejectUnknownKeys(known: ["name", "tokenFile", "tokenEnv", "owners"])
            guard !github.tokens.contains(where: { $0.name == name }) else {
                throw ConfigError(key: tokenNode.keyPath("name"), message: "credential \"\(name)\" is configured twice")
            }
            github.tokens.append(TokenCredentialSettings(name: name, token: token, owners: owners))
        }
    }

    /// `GITHUB_APP_ID` with `GITHUB_APP_PRIVATE_KEY` (the PEM text) or `GITHUB_APP_PRIVATE_KEY_FILE`.
    func applyAppEnvironment(to configuration: inout TwinConfiguration) throws(ConfigError) {
        guard let id = environment["GITHUB_APP_ID"], !id.isEmpty else {
            if hasEnvironment("GITHUB_APP_PRIVATE_KEY") || hasEnvironment("GITHUB_APP_PRIVATE_KEY_FILE") {
                throw ConfigError(key: "GITHUB_APP_ID", message: "an App private key is set but no App id: set GITHUB_APP_ID")
            }
            return
        }
        guard id.allSatisfy(\.isNumber) else {
            throw ConfigError(key: "GITHUB_APP_ID", message: "\"\(id)\" is not an App id (a number)")
        }
        let key: Secret
        if let pem = environment["GITHUB_APP_PRIVATE_KEY"], !pem.isEmpty {
            key = Secret(pem, source: .environment("GITHUB_APP_PRIVATE_KEY"))
        } else if let file = environment["GITHUB_APP_PRIVATE_KEY_FILE"], !file.isEmpty {
            key = try secret(fromFile: file, key: "GITHUB_APP_PRIVATE_KEY_FILE")
        } else {
            throw ConfigError(key: "GITHUB_APP_PRIVATE_KEY_FILE", message: "GITHUB_APP_ID is set: also set GITHUB_APP_PRIVATE_KEY_FILE (or GITHUB_APP_PRIVATE_KEY)")
        }
        try Self.checkPrivateKey(key, key: "GITHUB_APP_PRIVATE_KEY")
        configuration.github.apps.removeAll { $0.id == id }
        configuration.github.apps.append(GitHubAppSettings(id: id, privateKey: key))
    }

    /// A PEM private key block, checked without ever quoting it.
    static func checkPrivateKey(_ key: Secret, key path: String) throws(ConfigError) {
        guard key.value.contains("-----BEGIN"), key.value.contains("PRIVATE KEY-----") else {
            throw ConfigError(
                key: path, message: "is not a PEM private key (expected \"-----BEGIN RSA PRIVATE KEY-----\"): use the .pem file GitHub generated for the App")
        }
    }

    /// `organizations`: filters, and the settings discovered repositories take.
    func parseOrganizations(_ nodes: [ConfigNode], benchmark: DoraDefinitions.Benchmark) throws(ConfigError) -> [OrganizationSettings] {
        var organizations: [OrganizationSettings] = []
        for var node in nodes {
            let source = JSONValue.object(node.object)
            guard let name = try node.string("name"),
                name.range(of: #"^[A-Za-z0-9][A-Za-z0-9\-]{0,38}$"#, options: .regularExpression) != nil
            else {
                throw ConfigError(key: node.keyPath("name"), message: "required: the organisation's login, e.g. \"acme\"")
            }
            guard !organizations.contains(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw ConfigError(key: node.keyPath("name"), message: "organisation \"\(name)\" is listed twice")
            }
            let include = try node.strings("include") ?? ["*"]
            let exclude = try node.strings("exclude") ?? []
            let topics = try node.strings("topics") ?? []
            let archived = try node.bool("archived") ?? false
            let forks = try node.bool("forks") ?? false
            let defaultsPath = node.keyPath("defaults")
            let defaults: [String: JSONValue]
            if case .object(let object)? = node.raw("defaults") { defaults = object } else { defaults = [:] }
            if defaults.keys.contains("name") {
                throw ConfigError(key: "\(defaultsPath).name", message: "a discovered repository takes its own name; remove it")
            }
            var overrides: [(patterns: [String], settings: [String: JSONValue], path: String)] = []
            for var override in try node.objects("overrides") ?? [] {
                guard let patterns = try override.strings("repositories"), !patterns.isEmpty else {
                    throw ConfigError(key: override.keyPath("repositories"), message: "list the repositories (names or patterns) the override is for")
                }
                guard case .object(var settings)? = override.raw("settings") else {
                    throw ConfigError(key: override.keyPath("settings"), message: "required: the settings that replace the defaults, e.g. {\"branch\": \"develop\"}")
                }
                settings["name"] = nil
                try override.rejectUnknownKeys(known: ["repositories", "settings"])
                overrides.append((patterns, settings, override.keyPath("settings")))
            }
            try node.rejectUnknownKeys(known: ["name", "include", "exclude", "topics", "archived", "forks", "defaults", "overrides"])
            let loader = self
            let frozenOverrides = overrides.map { ($0.patterns, $0.settings, $0.path) }
            let template: @Sendable (DiscoveredRepository) throws(ConfigError) -> RepositorySettings = { repository throws(ConfigError) in
                var object = defaults
                var path = defaultsPath
                for (patterns, settings, overridePath) in frozenOverrides
                where patterns.contains(where: { pattern in
                    GroupSettings.matches(repository.fullName, pattern: pattern.contains("/") ? pattern : "\(name)/\(pattern)")
                }) {
                    object.merge(settings) { _, new in new }
                    path = overridePath
                }
                if case .string(let branch)? = object["branch"], branch != "default" {
                    // An explicit branch wins.
                } else {
                    object["branch"] = .string(repository.defaultBranch)
                }
                object["name"] = .string(repository.fullName)
                var settings = try loader.parseRepository(ConfigNode(path: path, object: object), benchmark: benchmark)
                settings.definitions.benchmark = benchmark
                return settings
            }
            // Check the defaults and every override now, not at the first discovery.
            _ = try template(DiscoveredRepository(fullName: "\(name)/example", defaultBranch: "main"))
            for (patterns, _, _) in frozenOverrides {
                for pattern in patterns {
                    let sample = pattern.replacingOccurrences(of: "*", with: "x").replacingOccurrences(of: "?", with: "x")
                    let full = sample.contains("/") ? sample : "\(name)/\(sample)"
                    _ = try template(DiscoveredRepository(fullName: full, defaultBranch: "main"))
                }
            }
            var organization = OrganizationSettings(
                name: name, include: include, exclude: exclude, topics: topics, archived: archived, forks: forks, template: template)
            organization.source = source
            organizations.append(organization)
        }
        return organizations
    }
}
