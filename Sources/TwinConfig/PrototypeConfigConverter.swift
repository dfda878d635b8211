import Foundation

/// Converts the Python prototype's `config.json` (jangruenwaldt/devops-digital-twin) into this
/// product's format, so its users can switch. Secrets in the old file are never carried over.
public enum PrototypeConfigConverter {
    static let prototypeKeys: Set<String> = [
        "personal_access_token", "main_branch", "twin_owner", "twin_name", "commit_data_source",
        "deployment_data_source", "project_management_data_source", "automations_data_source",
        "automations_history_data_source", "update_interval_in_hours", "update_interval_in_minutes", "enable_logs",
        "automation_history_since", "force_update_on_first_launch", "deployment_automation_name",
        "test_automation_names", "ci_automation_names", "project_management_bug_categories",
        "project_management_incident_categories", "override_existing_data", "deployment_regex", "db_address",
        "db_user", "db_pw",
    ]

    static func looksLikePrototype(_ object: [String: JSONValue]) -> Bool {
        object["repositories"] == nil && object.keys.contains { prototypeKeys.contains($0) }
    }

    /// Converts prototype configuration text into the new format's JSON text (pretty-printed), with warnings.
    public static func convert(data: Data) throws(ConfigError) -> (json: String, warnings: [String]) {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ConfigError(key: "", message: "the prototype configuration is not valid JSON (\(ConfigLoader.describe(decoding: error)))")
        }
        guard case .object(let object) = root, looksLikePrototype(object) else {
            throw ConfigError(key: "", message: "this does not look like the prototype's config.json (no keys such as twin_owner, commit_data_source, main_branch)")
        }
        let converted = try convert(object)
        return (JSONValue.object(converted.object).rendered(), converted.warnings)
    }

    static func convert(_ old: [String: JSONValue]) throws(ConfigError) -> (object: [String: JSONValue], warnings: [String]) {
        var node = ConfigNode(path: "", object: old)
        var warnings: [String] = []

        let owner = try node.string("twin_owner")
        let name = try node.string("twin_name")
        let commitSource = try node.string("commit_data_source")
        var repositoryName: String
        if let owner, let name {
            repositoryName = try ConfigLoader.repositoryName("\(owner)/\(name)", key: "twin_owner/twin_name")
        } else if let commitSource {
            repositoryName = try ConfigLoader.repositoryName(commitSource, key: "commit_data_source")
        } else {
            throw ConfigError(key: "twin_owner", message: "the prototype configuration names no repository (twin_owner + twin_name or commit_data_source)")
        }
        var sources: [String: JSONValue] = [:]
        for (oldKey, newKey) in [
            ("commit_data_source", "commits"), ("deployment_data_source", "deployments"),
            ("project_management_data_source", "issues"), ("automations_history_data_source", "workflowRuns"),
        ] {
            if let value = try node.string(oldKey), !value.isEmpty {
                let converted = try ConfigLoader.repositoryName(value, key: oldKey)
                if converted != repositoryName { sources[newKey] = .string(converted) }
            }
        }
        if let automations = try node.string("automations_data_source"), !automations.isEmpty, sources["workflowRuns"] == nil {
            let converted = try ConfigLoader.repositoryName(automations, key: "automations_data_source")
            if converted != repositoryName { sources["workflowRuns"] = .string(converted) }
        }
        var repository: [String: JSONValue] = ["name": .string(repositoryName)]
        if !sources.isEmpty { repository["sources"] = .object(sources) }
        if let branch = try node.string("main_branch"), !branch.isEmpty { repository["branch"] = .string(branch) }
        if let since = try node.string("automation_history_since"), !since.isEmpty { repository["since"] = .string(since) }

        var deployments: [String: JSONValue] = ["source": .string("releases")]
        if let pattern = try node.string("deployment_regex"), !pattern.isEmpty {
            try ConfigLoader.regex(pattern, key: "deployment_regex")
            deployments["pattern"] = .string(pattern)
        }
        repository["deployments"] = .object(deployments)

        var ciWorkflows: [String] = []
        if let deployName = try node.string("deployment_automation_name"), !deployName.isEmpty {
            ciWorkflows.append(deployName)
            warnings.append("deployment_automation_name \"\(deployName)\" became a CI workflow; deployments are counted from releases as the prototype did. Set deployments.source to \"workflow\" with workflows [\"\(deployName)\"] to count its runs instead.")
        }
        for key in ["ci_automation_names", "test_automation_names"] {
            for workflow in try node.strings(key) ?? [] where !ciWorkflows.contains(workflow) { ciWorkflows.append(workflow) }
        }
        if !ciWorkflows.isEmpty { repository["ciWorkflows"] = .array(ciWorkflows.map(JSONValue.string)) }

        var rules: [String] = []
        for key in ["project_management_incident_categories", "project_management_bug_categories"] {
            for entry in try node.strings(key) ?? [] {
                let trimmed = entry.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                if trimmed.split(separator: " ").count > 3 && !trimmed.contains("&") {
                    warnings.append("\(key): skipped \"\(trimmed.prefix(40))…\", which reads like a comment, not a label")
                    continue
                }
                if !rules.contains(trimmed) { rules.append(trimmed) }
            }
        }
        if !rules.isEmpty { repository["incidents"] = .object(["rules": .array(rules.map(JSONValue.string))]) }

        var result: [String: JSONValue] = ["repositories": .array([.object(repository)])]
        if let hours = try node.duration("update_interval_in_hours", range: 0...(365 * 86_400)) {
            result["sync"] = .object(["interval": .string(DurationText.format(max(60, hours * 3600)))])
        } else if let minutes = try node.duration("update_interval_in_minutes", range: 0...(365 * 86_400)) {
            result["sync"] = .object(["interval": .string(DurationText.format(max(60, minutes * 60)))])
        }
        if let address = try node.string("db_address"), !address.isEmpty {
            var neo4j: [String: JSONValue] = ["url": .string(httpURL(fromBolt: address))]
            if let user = try node.string("db_user"), !user.isEmpty { neo4j["user"] = .string(user) }
            result["neo4j"] = .object(neo4j)
            warnings.append("db_address \"\(address)\" became neo4j.url \(httpURL(fromBolt: address)): devops-twin talks to Neo4j over HTTP")
        }
        if let token = try node.string("personal_access_token"), !token.isEmpty {
            warnings.append("personal_access_token was not carried over: set it as the GITHUB_TOKEN environment variable (and consider rotating it, it was stored in a file)")
        }
        if let password = try node.string("db_pw"), !password.isEmpty {
            warnings.append("db_pw was not carried over: set it as the NEO4J_PASSWORD environment variable")
        }
        for ignored in ["enable_logs", "force_update_on_first_launch", "override_existing_data"] where try node.bool(ignored) != nil {
            warnings.append("\(ignored) has no equivalent and was dropped (logging is always on; syncs are incremental)")
        }
        try node.rejectUnknownKeys(known: Array(prototypeKeys))
        return (result, warnings)
    }

    static func httpURL(fromBolt address: String) -> String {
        guard let components = URLComponents(string: address), let host = components.host else { return address }
        let scheme = components.scheme ?? "bolt"
        if scheme == "http" || scheme == "https" { return address }
        let secure = scheme.hasSuffix("+s") || scheme.hasSuffix("+ssc")
        return "\(secure ? "https" : "http")://\(host):\(secure ? 7473 : 7474)"
    }
}
