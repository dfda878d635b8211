import Dora
import Foundation

/// Incidents from alerts (spec v1.3): a repository's `incidents.source`, `incidents.alerts` and `services`,
/// and the receiver's `webhooks.alertmanager`.
extension ConfigLoader {
    /// Environment variables of the receiver's secrets (they win over the files).
    static let alertmanagerTokenVariable = "DEVOPS_TWIN_ALERTMANAGER_TOKEN"
    static let alertmanagerPasswordVariable = "DEVOPS_TWIN_ALERTMANAGER_PASSWORD"

    /// Reads `source` and `alerts` of a repository's `incidents` node into `definitions`.
    func parseIncidentSource(_ incidentNode: inout ConfigNode, into definitions: inout DoraDefinitions) throws(ConfigError) {
        if let source = try incidentNode.string("source") {
            guard let value = IncidentSource(rawValue: source) else {
                throw ConfigError(
                    key: incidentNode.keyPath("source"),
                    message: "\"\(source)\" is not an incident source; allowed: \(IncidentSource.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            definitions.incidentSource = value
        }
        guard var node = try incidentNode.object("alerts") else { return }
        if let raw = node.raw("matchers") {
            definitions.alerts.matchers = try Self.alertMatchers(raw, key: node.keyPath("matchers"))
        }
        if let label = try node.string("repositoryLabel") {
            guard label.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil else {
                throw ConfigError(key: node.keyPath("repositoryLabel"), message: "\"\(label)\" is not a label name (letters, digits and _, not starting with a digit)")
            }
            definitions.alerts.repositoryLabel = label
        }
        if let gap = try node.duration("mergeGap", range: 0...(7 * 86_400)) { definitions.alerts.mergeGap = gap }
        if let interval = try node.duration("evaluationInterval", range: 1...3600) { definitions.alerts.evaluationInterval = interval }
        try node.rejectUnknownKeys(known: ["matchers", "repositoryLabel", "mergeGap", "evaluationInterval"])
    }

    /// `"{a=~\"x\", b!=\"y\"}"` or a list of such strings (all of which must hold).
    static func alertMatchers(_ value: JSONValue, key: String) throws(ConfigError) -> [AlertMatcher] {
        let texts: [String]
        switch value {
        case .string(let text): texts = [text]
        case .array(let items):
            var list: [String] = []
            for item in items {
                guard case .string(let text) = item else {
                    throw ConfigError(key: key, message: "expected matcher strings such as \"severity=~\\\"critical|page\\\"\"")
                }
                list.append(text)
            }
            texts = list
        default:
            throw ConfigError(key: key, message: "expected a selector such as \"{severity=~\\\"critical|page\\\"}\" or a list of matchers")
        }
        var matchers: [AlertMatcher] = []
        for text in texts {
            do {
                matchers += try AlertMatcher.parse(text)
            } catch {
                throw ConfigError(key: key, message: error.description)
            }
        }
        return matchers
    }

    /// `services`: the `service` label values that belong to the repository.
    static func services(_ node: inout ConfigNode) throws(ConfigError) -> [String]? {
        guard let services = try node.strings("services") else { return nil }
        guard !services.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw ConfigError(key: node.keyPath("services"), message: "service names must not be empty")
        }
        return services
    }

    /// `webhooks.alertmanager`: `bearerTokenFile` or `basicAuth {user, passwordFile}`; the environment wins.
    func parseAlertReceiver(_ node: inout ConfigNode) throws(ConfigError) -> AlertReceiverSettings {
        for key in ["bearerToken", "password"] where node.has(key) {
            throw ConfigError(
                key: node.keyPath(key),
                message: "secrets do not belong in config.json; set \(Self.alertmanagerTokenVariable) or bearerTokenFile (or basicAuth with \(Self.alertmanagerPasswordVariable) or basicAuth.passwordFile)")
        }
        let tokenFile = try node.string("bearerTokenFile")
        var basic: (user: String, file: String?, key: String)?
        if var auth = try node.object("basicAuth") {
            guard let user = try auth.string("user"), !user.isEmpty else {
                throw ConfigError(key: auth.keyPath("user"), message: "required when basicAuth is set")
            }
            basic = (user, try auth.string("passwordFile"), auth.keyPath("passwordFile"))
            try auth.rejectUnknownKeys(known: ["user", "passwordFile"])
        }
        try node.rejectUnknownKeys(known: ["bearerTokenFile", "basicAuth"])
        if let basic {
            guard tokenFile == nil else {
                throw ConfigError(key: node.keyPath("bearerTokenFile"), message: "choose one: bearerTokenFile or basicAuth")
            }
            guard let password = try secret(environment: Self.alertmanagerPasswordVariable, file: basic.file, fileKey: basic.key) else {
                throw ConfigError(key: basic.key, message: "required: set \(Self.alertmanagerPasswordVariable) or basicAuth.passwordFile")
            }
            return AlertReceiverSettings(authentication: .basic(user: basic.user, password: password))
        }
        guard let token = try secret(environment: Self.alertmanagerTokenVariable, file: tokenFile, fileKey: node.keyPath("bearerTokenFile")) else {
            throw ConfigError(
                key: node.keyPath("bearerTokenFile"),
                message: "the alert receiver needs the token Alertmanager sends (http_config.authorization): set \(Self.alertmanagerTokenVariable) or bearerTokenFile, or use basicAuth")
        }
        return AlertReceiverSettings(authentication: .bearer(token))
    }
}
