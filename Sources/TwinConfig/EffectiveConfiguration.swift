import Dora
import Foundation

extension TwinConfiguration {
    /// The effective configuration as JSON in `config.json`'s own format, secrets redacted: what
    /// `devops-twin check-config` prints. Loading this text again gives the same configuration
    /// (secrets aside).
    public func effectiveJSON() -> String {
        var github: [String: JSONValue] = [
            "apiUrl": .string(self.github.apiURL), "apiVersion": .string(self.github.apiVersion),
            "userAgent": .string(self.github.userAgent),
            "maxRateLimitWait": .string(DurationText.format(self.github.maxRateLimitWait)),
            "requestTimeout": .string(DurationText.format(self.github.requestTimeout)),
            "maxRetries": .number(Double(self.github.maxRetries)),
        ]
        github.merge(self.github.token?.sourceKeys("tokenFile") ?? [:]) { $1 }
        let unauthenticated = self.github.token == nil && self.github.apps.isEmpty && self.github.tokens.isEmpty
        github["_token"] = .string(
            self.github.token == nil ? (unauthenticated ? "<not set: unauthenticated, 60 requests/hour>" : "<not set>") : "<redacted>")
        if !self.github.apps.isEmpty {
            github["apps"] = .array(
                self.github.apps.map { app in
                    .object(["id": .string(app.id), "_privateKey": .string("<redacted>")].merging(app.privateKey.sourceKeys("privateKeyFile", "privateKeyEnv")) { $1 })
                })
        }
        if !self.github.tokens.isEmpty {
            github["tokens"] = .array(
                self.github.tokens.map { token in
                    .object(
                        ["name": .string(token.name), "owners": .array(token.owners.map(JSONValue.string)), "_token": .string("<redacted>")]
                            .merging(token.token.sourceKeys("tokenFile", "tokenEnv")) { $1 })
                })
        }
        var exporter: [String: JSONValue] = ["listenAddress": .string("\(self.exporter.listenHost):\(self.exporter.listenPort)")]
        if let tls = self.exporter.tls {
            var object: [String: JSONValue] = ["certFile": .string(tls.certFile), "keyFile": .string(tls.keyFile)]
            if let ca = tls.clientCAFile { object["clientCAFile"] = .string(ca) }
            exporter["tls"] = .object(object)
        }
        exporter["exclude"] = .object([
            "families": .array(self.exporter.excludeFamilies.map { .string($0) }),
            "windows": .array(self.exporter.excludeWindows.map { .string($0) }),
        ])
        if let user = self.exporter.basicAuthUser {
            exporter["basicAuth"] = .object(
                ["user": .string(user), "_password": .string(self.exporter.basicAuthPassword == nil ? "<not set>" : "<redacted>")]
                    .merging(self.exporter.basicAuthPassword?.sourceKeys("passwordFile") ?? [:]) { $1 })
        }
        var root: [String: JSONValue] = [
            "github": .object(github),
            "store": .object(["path": .string(store.path)]),
            "sync": .object([
                "interval": .string(DurationText.format(sync.interval)), "concurrency": .number(Double(sync.concurrency)),
                "shallowHorizon": .string(DurationText.format(sync.shallowHorizon)), "budgetReserve": .number(Double(sync.budgetReserve)),
            ]),
            "exporter": .object(exporter),
            "dora": .object(["windows": .array(dora.windows.map { .string($0.name) }), "benchmark": .string(dora.benchmark.rawValue)]),
            "repositories": .array(repositories.map { $0.effectiveJSON() }),
        ]
        if !organizations.isEmpty {
            root["organizations"] = .array(organizations.map(\.source))
        }
        if !groups.isEmpty {
            root["groups"] = .array(
                groups.map { group in
                    .object([
                        "name": .string(group.name), "repositories": .array(group.patterns.map { .string($0) }),
                        "_members": .array(group.repositories.map { .string($0) }),
                    ])
                })
        }
        if let neo4j {
            root["neo4j"] = .object([
                "url": .string(neo4j.url), "database": .string(neo4j.database), "user": .string(neo4j.user),
                "batchSize": .number(Double(neo4j.batchSize)), "requestTimeout": .string(DurationText.format(neo4j.requestTimeout)),
                "_password": .string(neo4j.password == nil ? "<not set>" : "<redacted>"),
            ].merging(neo4j.password?.sourceKeys("passwordFile") ?? [:]) { $1 })
        }
        if let webhooks {
            var object: [String: JSONValue] = [
                "listenAddress": .string("\(webhooks.listenHost):\(webhooks.listenPort)"),
                "maxBodyBytes": .number(Double(webhooks.maxBodyBytes)),
                "coalesceWindow": .string(DurationText.format(webhooks.coalesceWindow)),
                "useExporterTLS": .bool(webhooks.useExporterTLS),
                "peerUrlTemplate": .string(webhooks.effectivePeerURLTemplate),
                "_secret": .string("<redacted>"),
            ].merging(webhooks.secret.sourceKeys("secretFile")) { $1 }
            if let receiver = webhooks.alertmanager { object["alertmanager"] = receiver.effectiveJSON }
            root["webhooks"] = .object(object)
        }
        return JSONValue.object(root).rendered()
    }
}

extension Secret {
    /// The key naming where the secret is read from (a path or a variable name, never the value), so the
    /// effective configuration loads again. Secrets from the fixed variables (`GITHUB_TOKEN`, …) need none.
    fileprivate func sourceKeys(_ fileKey: String, _ environmentKey: String? = nil) -> [String: JSONValue] {
        switch source {
        case .file(let path): [fileKey: .string(path)]
        case .environment(let variable): environmentKey.map { [$0: .string(variable)] } ?? [:]
        case nil: [:]
        }
    }
}

extension RepositorySettings {
    fileprivate func effectiveJSON() -> JSONValue {
        var deployments: [String: JSONValue] = [:]
        switch definitions.deploymentSource {
        case .releases(let includePrereleases):
            deployments["source"] = .string("releases")
            deployments["includePrereleases"] = .bool(includePrereleases)
        case .tags:
            deployments["source"] = .string("tags")
        case .workflow(let names):
            deployments["source"] = .string("workflow")
            deployments["workflows"] = .array(names.map(JSONValue.string))
        case .deployments(let pattern):
            deployments["source"] = .string("deployments")
            deployments["environmentPattern"] = .string(pattern)
        }
        if let pattern = definitions.deploymentPattern { deployments["pattern"] = .string(pattern) }
        var object: [String: JSONValue] = [
            "name": .string(name),
            "sources": .object([
                "commits": .string(sources.commits), "deployments": .string(sources.deployments),
                "issues": .string(sources.issues), "workflowRuns": .string(sources.workflowRuns),
            ]),
            "branch": .string(branch),
            "deployments": .object(deployments),
            "incidents": .object(incidentsJSON),
            "leadTime": .object(["commitTime": .string(definitions.commitTime.rawValue), "includeBaseline": .bool(definitions.includeBaseline)]),
            "ciWorkflows": .array(definitions.ciWorkflows.map(JSONValue.string)),
        ]
        if !definitions.alerts.services.isEmpty { object["services"] = .array(definitions.alerts.services.map(JSONValue.string)) }
        if let since {
            let formatter = ISO8601DateFormatter()
            object["since"] = .string(formatter.string(from: since))
        }
        return .object(object)
    }
}
