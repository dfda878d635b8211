import Dora
import Foundation
import Testing

@testable import TwinConfig

@Suite struct AlertConfigTests {
    static func load(_ json: String, environment: [String: String] = [:]) throws -> TwinConfiguration {
        try ConfigLoader(environment: ["GITHUB_TOKEN": "t"].merging(environment) { $1 }, now: Date(timeIntervalSince1970: 1_750_000_000))
            .load(data: Data(json.utf8)).configuration
    }

    static func error(_ json: String, environment: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try load(json, environment: environment)
            return nil
        } catch {
            return error as? ConfigError
        }
    }

    @Test func repositoriesTakeIncidentsFromAlertsWithMatchersServicesAndGap() throws {
        let configuration = try Self.load(
            #"""
            {"repositories": [
              {"name": "acme/shop", "services": ["checkout", "cart"],
               "incidents": {"source": "issues+alerts", "alerts": {"matchers": "{severity=~\"critical|page\", team!=\"qa\"}",
                             "repositoryLabel": "repo", "mergeGap": "10m", "evaluationInterval": "15s"}}},
              {"name": "acme/api", "incidents": {"source": "alerts", "alerts": {"matchers": ["severity=\"page\"", "{env=\"prod\"}"]}}},
              {"name": "acme/docs"}
            ]}
            """#)
        let shop = configuration.repositories[0].definitions
        #expect(shop.incidentSource == .issuesAndAlerts)
        #expect(shop.alerts.matchers.map(\.description) == [#"severity=~"critical|page""#, #"team!="qa""#])
        #expect(shop.alerts.repositoryLabel == "repo" && shop.alerts.mergeGap == 600 && shop.alerts.evaluationInterval == 15)
        #expect(shop.alerts.services == ["checkout", "cart"])
        let api = configuration.repositories[1].definitions
        #expect(api.incidentSource == .alerts && api.alerts.matchers.count == 2 && api.alerts.mergeGap == 300)
        #expect(api.alerts.repositoryLabel == "repository" && api.alerts.evaluationInterval == 60)
        #expect(configuration.repositories[2].definitions.incidentSource == .issues)
        // check-config shows which repositories take alerts and what they match.
        let effective = configuration.effectiveJSON()
        #expect(effective.contains(#""source": "issues+alerts""#))
        #expect(effective.contains("service in [checkout, cart]"))
        #expect(configuration.repositories[1].alertsSummary == #"alerts labelled repository="acme/api", that match {severity="page", env="prod"}"#)
    }

    @Test(arguments: [
        (#"{"source": "pagerduty"}"#, "repositories[0].incidents.source"),
        (#"{"source": "alerts", "alerts": {"matchers": "{severity=page}"}}"#, "repositories[0].incidents.alerts.matchers"),
        (#"{"source": "alerts", "alerts": {"matchers": "{a=~\"(\"}"}}"#, "repositories[0].incidents.alerts.matchers"),
        (#"{"source": "alerts", "alerts": {"matchers": [1]}}"#, "repositories[0].incidents.alerts.matchers"),
        (#"{"source": "alerts", "alerts": {"mergeGap": "soon"}}"#, "repositories[0].incidents.alerts.mergeGap"),
        (#"{"source": "alerts", "alerts": {"repositoryLabel": "1x"}}"#, "repositories[0].incidents.alerts.repositoryLabel"),
        (#"{"source": "alerts", "alerts": {"matcher": "{}"}}"#, "repositories[0].incidents.alerts.matcher"),
    ])
    func invalidAlertSettingsNameTheKey(_ incidents: String, _ key: String) {
        let failure = Self.error(#"{"repositories": [{"name": "acme/shop", "incidents": \#(incidents)}]}"#)
        #expect(failure?.key == key, "\(String(describing: failure))")
    }

    @Test func organisationDefaultsAndOverridesCarryAlertSettings() throws {
        let configuration = try Self.load(
            #"""
            {"organizations": [{"name": "acme",
              "defaults": {"incidents": {"source": "alerts", "alerts": {"matchers": "{severity=\"page\"}"}}},
              "overrides": [{"repositories": ["shop"], "settings": {"services": ["checkout"], "incidents": {"source": "issues+alerts"}}}]}]}
            """#)
        let organization = try #require(configuration.organizations.first)
        let api = try organization.settings(for: DiscoveredRepository(fullName: "acme/api", defaultBranch: "main"))
        #expect(api.definitions.incidentSource == .alerts && api.definitions.alerts.matchers.count == 1)
        let shop = try organization.settings(for: DiscoveredRepository(fullName: "acme/shop", defaultBranch: "main"))
        #expect(shop.definitions.incidentSource == .issuesAndAlerts && shop.definitions.alerts.services == ["checkout"])
        #expect(Self.error(#"{"organizations": [{"name": "acme", "defaults": {"incidents": {"source": "alerts", "alerts": {"matchers": "{x"}}}}]}"#)?.key == "organizations[0].defaults.incidents.alerts.matchers")
    }

    @Test func theReceiverTakesABearerTokenOrBasicAuthFromTheEnvironmentOrAFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alert-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenFile = folder.appendingPathComponent("token").path
        try "from-file\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let base = #"{"repositories": [{"name": "acme/shop"}], "webhooks": {"listenAddress": "127.0.0.1:0", "alertmanager": %@}}"#
        let secretEnvironment = ["DEVOPS_TWIN_WEBHOOK_SECRET": "s"]
        func receiver(_ section: String, _ environment: [String: String] = [:]) throws -> AlertReceiverSettings? {
            try Self.load(String(format: base, section), environment: secretEnvironment.merging(environment) { $1 }).webhooks?.alertmanager
        }
        guard case .bearer(let fileToken)? = try receiver(#"{"bearerTokenFile": "\#(tokenFile)"}"#)?.authentication else {
            Issue.record("expected a bearer token"); return
        }
        #expect(fileToken.value == "from-file")
        guard case .bearer(let envToken)? = try receiver(#"{"bearerTokenFile": "\#(tokenFile)"}"#, ["DEVOPS_TWIN_ALERTMANAGER_TOKEN": "from-env"])?.authentication else {
            Issue.record("expected a bearer token"); return
        }
        #expect(envToken.value == "from-env")
        guard case .basic(let user, let password)? = try receiver(#"{"basicAuth": {"user": "am"}}"#, ["DEVOPS_TWIN_ALERTMANAGER_PASSWORD": "pw"])?.authentication else {
            Issue.record("expected basic auth"); return
        }
        #expect(user == "am" && password.value == "pw")
        #expect(Self.error(String(format: base, "{}"), environment: secretEnvironment)?.key == "webhooks.alertmanager.bearerTokenFile")
        #expect(Self.error(String(format: base, #"{"bearerToken": "x"}"#), environment: secretEnvironment)?.key == "webhooks.alertmanager.bearerToken")
        // Redacted in check-config.
        let shown = try Self.load(String(format: base, #"{"bearerTokenFile": "\#(tokenFile)"}"#), environment: secretEnvironment).effectiveJSON()
        #expect(shown.contains("_bearerToken") && !shown.contains("from-file"))
    }
}
