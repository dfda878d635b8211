import Foundation
import Testing

@testable import TwinConfig

/// `organizations`, `github.app(s)` and `github.tokens`: what discovery and the credentials are built from.
@Suite struct OrganizationConfigTests {
    static let files = [
        "/keys/app.pem": "-----BEGIN RSA PRIVATE KEY-----\nTUlJRXBBSUJBQUtDQVFFQTJ4\n-----END RSA PRIVATE KEY-----\n",
        "/keys/ops-token": "ghp_opsSecret\n",
    ]

    static func load(_ json: String, environment: [String: String] = [:]) throws(ConfigError) -> TwinConfiguration {
        let loader = ConfigLoader(environment: environment, now: Date(timeIntervalSince1970: 1_750_000_000), readSecretFile: { files[$0] })
        return try loader.load(data: Data(json.utf8)).configuration
    }

    static let acme = #"""
        {"organizations": [{
            "name": "acme", "include": ["*"], "exclude": ["legacy-*"], "topics": [], "archived": false, "forks": false,
            "defaults": {"since": "365d", "deployments": {"source": "workflow", "workflows": ["deploy"]}, "ciWorkflows": ["ci"]},
            "overrides": [{"repositories": ["web-*"], "settings": {"branch": "develop", "incidents": {"rules": ["sev1"]}}}]
        }]}
        """#

    @Test func anOrganisationAloneIsAValidConfiguration() throws {
        let configuration = try Self.load(Self.acme)
        #expect(configuration.repositories.isEmpty)
        #expect(configuration.organizations.map(\.name) == ["acme"])
    }

    @Test func filtersAdmitByNameArchivedForkAndTopic() throws {
        let organization = try #require(try Self.load(Self.acme).organizations.first)
        #expect(organization.admits(DiscoveredRepository(fullName: "acme/api", defaultBranch: "main")))
        #expect(!organization.admits(DiscoveredRepository(fullName: "acme/legacy-billing", defaultBranch: "main")))
        #expect(!organization.admits(DiscoveredRepository(fullName: "acme/api-old", defaultBranch: "main", archived: true)))
        #expect(!organization.admits(DiscoveredRepository(fullName: "acme/api-fork", defaultBranch: "main", fork: true)))
        #expect(!organization.admits(DiscoveredRepository(fullName: "other/api", defaultBranch: "main")))

        let topical = try #require(
            try Self.load(#"{"organizations": [{"name": "acme", "topics": ["DORA"], "archived": true, "forks": true}]}"#).organizations.first)
        #expect(topical.admits(DiscoveredRepository(fullName: "acme/a", defaultBranch: "main", archived: true, fork: true, topics: ["dora"])))
        #expect(!topical.admits(DiscoveredRepository(fullName: "acme/b", defaultBranch: "main", topics: ["web"])))
    }

    @Test func discoveredRepositoriesTakeTheDefaultsTheirDefaultBranchAndMatchingOverrides() throws {
        let organization = try #require(try Self.load(Self.acme).organizations.first)
        let api = try organization.settings(for: DiscoveredRepository(fullName: "acme/api", defaultBranch: "trunk"))
        #expect(api.name == "acme/api")
        #expect(api.branch == "trunk")
        #expect(api.definitions.deploymentSource == .workflow(names: ["deploy"]))
        #expect(api.definitions.ciWorkflows == ["ci"])
        #expect(api.since == Date(timeIntervalSince1970: 1_750_000_000 - 365 * 86_400))
        let web = try organization.settings(for: DiscoveredRepository(fullName: "acme/web-shop", defaultBranch: "main"))
        #expect(web.branch == "develop")
        #expect(web.definitions.incidentRules == [["sev1"]])
        #expect(web.definitions.deploymentSource == .workflow(names: ["deploy"]))
    }

    @Test(arguments: [
        (#"{"organizations": [{"name": "acme", "defaults": {"deployments": {"source": "ftp"}}}]}"#, "organizations[0].defaults.deployments.source"),
        (#"{"organizations": [{"name": "acme", "defaults": {"name": "x/y"}}]}"#, "organizations[0].defaults.name"),
        (#"{"organizations": [{"name": "acme", "overrides": [{"repositories": ["a"], "settings": {"branch": "a..b"}}]}]}"#, "organizations[0].overrides[0].settings.branch"),
        (#"{"organizations": [{"name": "acme"}, {"name": "ACME"}]}"#, "organizations[1].name"),
        (#"{"organizations": [{"name": "ac/me"}]}"#, "organizations[0].name"),
        (#"{"github": {"app": {"id": 12}}, "organizations": [{"name": "acme"}]}"#, "github.app.privateKeyFile"),
        (#"{"github": {"app": {"id": 12, "privateKey": "-----BEGIN"}}, "organizations": [{"name": "acme"}]}"#, "github.app.privateKey"),
        (#"{"github": {"app": {"id": "twelve", "privateKeyFile": "/keys/app.pem"}}, "organizations": [{"name": "acme"}]}"#, "github.app.id"),
        (#"{"github": {"app": {"id": 12, "privateKeyFile": "/keys/ops-token"}}, "organizations": [{"name": "acme"}]}"#, "github.app.privateKeyFile"),
        (#"{"github": {"tokens": [{"name": "ops", "tokenFile": "/keys/ops-token"}]}, "organizations": [{"name": "acme"}]}"#, "github.tokens[0].owners"),
    ])
    func mistakesNameTheirKey(json: String, key: String) {
        do {
            _ = try Self.load(json)
            Issue.record("accepted: \(json)")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(!error.description.contains("TUlJ"))
            #expect(!error.description.contains("ghp_opsSecret"))
        }
    }

    @Test func appsAndTokensLoadFromFilesAndTheEnvironmentAndAreRedacted() throws {
        let configuration = try Self.load(
            #"""
            {"github": {"app": {"id": 12, "privateKeyFile": "/keys/app.pem"},
                        "tokens": [{"name": "ops", "tokenFile": "/keys/ops-token", "owners": ["ops-org"]}]},
             "repositories": [{"name": "ops-org/tool"}], "organizations": [{"name": "acme"}],
             "groups": [{"name": "web", "repositories": ["acme/web-*"]}]}
            """#,
            environment: ["GITHUB_APP_ID": "34", "GITHUB_APP_PRIVATE_KEY": Self.files["/keys/app.pem"]!])
        #expect(configuration.github.apps.map(\.id) == ["12", "34"])
        #expect(configuration.github.tokens.map(\.name) == ["ops"])
        #expect(configuration.github.tokens.first?.token.value == "ghp_opsSecret")
        let effective = configuration.effectiveJSON()
        #expect(!effective.contains("TUlJ"))
        #expect(!effective.contains("ghp_opsSecret"))
        #expect(effective.contains("\"organizations\""))
        #expect(effective.contains("\"_privateKey\": \"<redacted>\""))
    }
}

/// docs/organisations.md's example is a configuration the loader accepts, and behaves as the page says.
@Suite struct OrganisationsDocTests {
    @Test func theDocumentedExampleLoadsAndFilters() throws {
        let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/organisations.md")
        let text = try String(contentsOf: page, encoding: .utf8)
        let block = try #require(
            text.components(separatedBy: "```json\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
                .first { $0.contains("\"organizations\"") })
        let configuration = try OrganizationConfigTests.load("{" + block + "}")
        let acme = try #require(configuration.organizations.first)
        #expect(acme.exclusion(of: DiscoveredRepository(fullName: "acme/legacy-billing", defaultBranch: "main", topics: ["dora"])) == "excluded by legacy-*")
        #expect(acme.exclusion(of: DiscoveredRepository(fullName: "acme/api", defaultBranch: "main", topics: ["web"])) == "no topic of dora")
        let web = try acme.settings(for: DiscoveredRepository(fullName: "acme/web-shop", defaultBranch: "main", topics: ["dora"]))
        #expect(web.branch == "develop")
        #expect(web.definitions.deploymentSource == .workflow(names: ["deploy"]))
    }
}
