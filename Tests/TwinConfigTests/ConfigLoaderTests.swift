import Dora
import Foundation
import Testing

@testable import TwinConfig

private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private func load(_ json: String, environment: [String: String] = [:]) throws -> LoadedConfiguration {
    try ConfigLoader(environment: environment, now: Date(timeIntervalSince1970: 1_750_000_000)).load(data: Data(json.utf8))
}

private func error(_ json: String, environment: [String: String] = [:]) -> ConfigError? {
    do {
        _ = try load(json, environment: environment)
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        return nil
    }
}

@Suite struct ConfigLoaderTests {
    @Test func theExampleConfigurationLoadsWithEveryKeyApplied() throws {
        let environment = ["GITHUB_TOKEN": "example-token-value", "NEO4J_PASSWORD": "example-neo4j-password"]
        let config = try ConfigLoader(environment: environment).load(path: packageRoot.appendingPathComponent("config.example.json").path).configuration
        #expect(config.github.apiURL == "https://api.github.com")
        #expect(config.github.token?.value == "example-token-value")
        #expect(config.github.maxRateLimitWait == 900)
        #expect(config.github.requestTimeout == 30)
        #expect(config.sync.interval == 900)
        #expect(config.sync.concurrency == 2)
        #expect(config.exporter.listenHost == "127.0.0.1")
        #expect(config.exporter.listenPort == 9866)
        #expect(config.neo4j?.password?.value == "example-neo4j-password")
        #expect(config.neo4j?.batchSize == 1000)
        #expect(config.dora.windows.map(\.name) == ["7d", "30d", "90d", "all"])
        let repository = try #require(config.repositories.first)
        #expect(repository.name == "pallets/click")
        #expect(repository.branch == "main")
        #expect(repository.definitions.deploymentSource == .releases(includePrereleases: false))
        #expect(repository.definitions.deploymentPattern == #"^[0-9]+\.[0-9]+(\.[0-9]+)?$"#)
        #expect(repository.definitions.incidentRules == [["incident"], ["bug", "prod"]])
        #expect(repository.definitions.attributionWindow == 7 * 86_400)
        #expect(repository.definitions.ciWorkflows == ["Tests"])
        // A look-back, so the example stays recent: a first sync fits the unauthenticated budget.
        let since = try #require(repository.since)
        #expect(abs(since.timeIntervalSinceNow + 365 * 86_400) < 3_600)
    }

    @Test func aMinimalConfigurationGetsTheSpecDefaults() throws {
        let config = try load(#"{"repositories": [{"name": "o/r"}]}"#).configuration
        let definitions = try #require(config.repositories.first?.definitions)
        #expect(definitions.deploymentSource == .releases(includePrereleases: false))
        #expect(definitions.incidentRules == [["incident"]])
        #expect(definitions.attributionWindow == 7 * 86_400)
        #expect(definitions.includeBaseline == false)
        #expect(definitions.commitTime == .committed)
        #expect(definitions.benchmark == .v2023)
        #expect(config.neo4j == nil)
        #expect(config.repositories.first?.sources == DataSources(all: "o/r"))
    }

    @Test func eachDataKindMayComeFromItsOwnRepository() throws {
        let config = try load(#"{"repositories": [{"name": "o/app", "sources": {"issues": "https://github.com/o/tracker", "workflowRuns": "o/ci.git"}}]}"#).configuration
        let sources = try #require(config.repositories.first?.sources)
        #expect(sources.commits == "o/app")
        #expect(sources.issues == "o/tracker")
        #expect(sources.workflowRuns == "o/ci")
    }

    @Test(arguments: [
        (#"{"repositories": []}"#, "repositories", "at least one"),
        (#"{"repositories": [{"name": "flask"}]}"#, "repositories[0].name", "owner/name"),
        (#"{"repositories": [{"name": "o/r", "deployments": {"source": "jenkins"}}]}"#, "repositories[0].deployments.source", "releases, tags, workflow, deployments"),
        (#"{"repositories": [{"name": "o/r", "deployments": {"pattern": "v(["}}]}"#, "repositories[0].deployments.pattern", "regular expression"),
        (#"{"repositories": [{"name": "o/r", "deployments": {"source": "workflow"}}]}"#, "repositories[0].deployments.workflows", "required"),
        (#"{"repositories": [{"name": "o/r"}], "sync": {"interval": "0.05s"}}"#, "sync.interval", "out of range"),
        (#"{"repositories": [{"name": "o/r"}], "sync": {"interval": "8d"}}"#, "sync.interval", "out of range"),
        (#"{"repositories": [{"name": "o/r"}], "sync": {"interval": "soon"}}"#, "sync.interval", "duration"),
        (#"{"repositories": [{"name": "o/r"}], "sync": {"concurrency": "two"}}"#, "sync.concurrency", "whole number"),
        (#"{"repositories": [{"name": "o/r"}], "exporter": {"listenAddress": "localhost"}}"#, "exporter.listenAddress", "HOST:PORT"),
        (#"{"repositories": [{"name": "o/r"}], "exporter": {"listenAddress": "0.0.0.0:99999"}}"#, "exporter.listenAddress", "port"),
        (#"{"repositories": [{"name": "o/r"}], "dora": {"windows": ["7x"]}}"#, "dora.windows[0]", "not a window"),
        (#"{"repositories": [{"name": "o/r"}], "dora": {"benchmark": "2019"}}"#, "dora.benchmark", "2023, 2021"),
        (#"{"repositories": [{"name": "o/r"}], "neo4j": {"url": "bolt://db:7687"}}"#, "neo4j.url", "HTTP"),
        (#"{"repositories": [{"name": "o/r"}], "neo4j": {"url": "http://db:7474", "password": "x"}}"#, "neo4j.password", "NEO4J_PASSWORD"),
        (#"{"repositories": [{"name": "o/r"}], "github": {"token": "x"}}"#, "github.token", "GITHUB_TOKEN"),
        (#"{"repositories": [{"name": "o/r", "branch": "a..b"}]}"#, "repositories[0].branch", "branch"),
        (#"{"repositories": [{"name": "o/r", "incidents": {"rules": ["bug&"]}}]}"#, "repositories[0].incidents.rules[0]", "both sides"),
        (#"{"repositories": [{"name": "o/r", "since": "last year"}]}"#, "repositories[0].since", "not a date"),
        (#"{"repositories": [{"name": "o/r"}, {"name": "O/R"}]}"#, "repositories[1].name", "twice"),
        (#"{"repositories": [{"name": "o/r", "leadTime": {"includeBaseline": "maybe"}}]}"#, "repositories[0].leadTime.includeBaseline", "true or false"),
    ])
    func aBadValueIsRejectedNamingTheKeyAndWhatIsAllowed(json: String, key: String, fragment: String) throws {
        let failure = try #require(error(json))
        #expect(failure.key == key)
        #expect(failure.description.contains(fragment), "\(failure.description)")
    }

    @Test func anUnknownKeySuggestsTheClosestKnownOne() throws {
        let failure = try #require(error(#"{"repositories": [{"name": "o/r", "brnach": "main"}]}"#))
        #expect(failure.key == "repositories[0].brnach")
        #expect(failure.description.contains("did you mean 'branch'"))
        let topLevel = try #require(error(#"{"repository": [], "repositories": [{"name": "o/r"}]}"#))
        #expect(topLevel.description.contains("did you mean 'repositories'"))
    }

    @Test func invalidJSONSaysSo() throws {
        let failure = try #require(error(#"{"repositories": [{"name": "o/r"},]"#))
        #expect(failure.description.contains("not valid JSON"))
    }

    @Test func environmentOverridesTheFileAndProvidesSecrets() throws {
        let environment = [
            "GITHUB_TOKEN": "env-token-value", "DEVOPS_TWIN_STORE_PATH": "/tmp/x.sqlite",
            "DEVOPS_TWIN_LISTEN_ADDRESS": "0.0.0.0:9999", "NEO4J_URL": "https://graph.example:7473",
            "NEO4J_PASSWORD": "env-neo4j-password", "DEVOPS_TWIN_GITHUB_API_URL": "https://ghe.example/api/v3/",
        ]
        let config = try load(#"{"repositories": [{"name": "o/r"}]}"#, environment: environment).configuration
        #expect(config.github.token?.value == "env-token-value")
        #expect(config.github.apiURL == "https://ghe.example/api/v3")
        #expect(config.store.path == "/tmp/x.sqlite")
        #expect(config.exporter.listenHost == "0.0.0.0")
        #expect(config.exporter.listenPort == 9999)
        #expect(config.neo4j?.url == "https://graph.example:7473")
        #expect(config.neo4j?.password?.value == "env-neo4j-password")
    }

    @Test func theEffectiveConfigurationRedactsSecretsAndLoadsBackTheSame() throws {
        let environment = ["GITHUB_TOKEN": "very-secret-token-123", "NEO4J_URL": "http://n:7474", "NEO4J_PASSWORD": "very-secret-password-456"]
        let json = #"{"repositories": [{"name": "o/r", "deployments": {"source": "workflow", "workflows": ["Deploy"], "pattern": "^v"}, "incidents": {"rules": ["Bug&Prod", "incident"]}, "ciWorkflows": ["CI"], "since": "2024-01-01"}], "dora": {"windows": ["14d", "all"], "benchmark": "2021"}}"#
        let config = try load(json, environment: environment).configuration
        let effective = config.effectiveJSON()
        #expect(!effective.contains("very-secret-token-123"))
        #expect(!effective.contains("very-secret-password-456"))
        #expect(effective.contains("<redacted>"))
        let reloaded = try load(effective, environment: environment).configuration
        #expect(reloaded.effectiveJSON() == effective)
        #expect(reloaded.repositories.first?.definitions == config.repositories.first?.definitions)
        #expect(reloaded.dora.windows == config.dora.windows)
    }

    @Test func secretFilesAreReadAndTheEnvironmentWinsOverThem() throws {
        let secrets = ["/secrets/token": "file-token\n", "/secrets/neo4j": "file-password", "/secrets/metrics": "metrics-password"]
        let json = #"{"github": {"tokenFile": "/secrets/token"}, "neo4j": {"url": "http://n:7474", "passwordFile": "/secrets/neo4j"}, "exporter": {"basicAuth": {"user": "prom", "passwordFile": "/secrets/metrics"}}, "repositories": [{"name": "o/r"}]}"#
        let fromFiles = try ConfigLoader(environment: [:], readSecretFile: { secrets[$0] }).load(data: Data(json.utf8)).configuration
        #expect(fromFiles.github.token?.value == "file-token")
        #expect(fromFiles.neo4j?.password?.value == "file-password")
        #expect(fromFiles.exporter.basicAuthPassword?.value == "metrics-password")
        let environment = ["GITHUB_TOKEN": "env-token", "NEO4J_PASSWORD": "env-password", "DEVOPS_TWIN_METRICS_PASSWORD": "env-metrics"]
        let fromEnvironment = try ConfigLoader(environment: environment, readSecretFile: { _ in nil }).load(data: Data(json.utf8))
        #expect(fromEnvironment.configuration.github.token?.value == "env-token")
        #expect(fromEnvironment.configuration.neo4j?.password?.value == "env-password")
        #expect(fromEnvironment.configuration.exporter.basicAuthPassword?.value == "env-metrics")
        let missing = #"{"github": {"tokenFile": "/nowhere/token"}, "repositories": [{"name": "o/r"}]}"#
        let failure = try #require(error(missing))
        #expect(failure.key == "github.tokenFile")
        #expect(failure.description.contains("/nowhere/token"))
    }

    @Test func secretsNeverAppearInDescriptions() {
        let secret = Secret("s3cr3t-value")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
    }
}

@Suite struct GroupConfigurationTests {
    private let repositories = #"[{"name": "acme/pay-api"}, {"name": "acme/pay-web"}, {"name": "acme/ledger"}, {"name": "other/pay-x"}]"#

    @Test func groupsResolveTheirPatternsToConfiguredRepositoriesInConfigurationOrder() throws {
        let config = try load(
            #"{"repositories": \#(repositories), "groups": [{"name": "payments", "repositories": ["acme/ledger", "ACME/pay-*"]}, {"name": "all-acme", "repositories": ["acme/*"]}]}"#
        ).configuration
        #expect(config.groups.map(\.name) == ["payments", "all-acme"])
        #expect(config.groups[0].repositories == ["acme/pay-api", "acme/pay-web", "acme/ledger"])
        #expect(config.groups[1].repositories == ["acme/pay-api", "acme/pay-web", "acme/ledger"], "a repository may be in several groups")
        let reloaded = try load(config.effectiveJSON()).configuration
        #expect(reloaded.groups == config.groups)
    }

    @Test(arguments: [
        (#"[{"name": "p", "repositories": ["acme/nothing-*"]}]"#, "groups[0].repositories[0]", "matches no configured repository"),
        (#"[{"name": "p", "repositories": []}]"#, "groups[0].repositories", "list the group's repositories"),
        (#"[{"repositories": ["acme/ledger"]}]"#, "groups[0].name", "required"),
        (#"[{"name": "has space", "repositories": ["acme/ledger"]}]"#, "groups[0].name", "is not a group name"),
        (#"[{"name": "p", "repositories": ["acme/ledger"]}, {"name": "p", "repositories": ["acme/*"]}]"#, "groups[1].name", "defined twice"),
        (#"[{"name": "p", "repositories": ["acme/ledger"], "topic": "x"}]"#, "groups[0].topic", "unknown key"),
    ])
    func aBadGroupIsRejectedNamingTheKey(groups: String, key: String, fragment: String) {
        let found = error(#"{"repositories": \#(repositories), "groups": \#(groups)}"#)
        #expect(found?.key == key)
        #expect(found?.message.contains(fragment) == true, "\(String(describing: found))")
    }

    @Test(arguments: [
        ("acme/pay-api", "acme/pay-*", true), ("acme/pay-api", "acme/*", true), ("acme/pay-api", "*/pay-api", true),
        ("acme/pay-api", "acme/pay-?pi", true), ("acme/pay-api", "acme*", false), ("acme/pay-api", "acme/pay", false),
        ("acme/pay-api", "*", false), ("acme/pay-api", "*/*", true), ("Acme/Pay-API", "acme/pay-api", true),
    ])
    func patternsMatchWithinOneNameSegment(repository: String, pattern: String, matches: Bool) {
        #expect(GroupSettings.matches(repository, pattern: pattern) == matches)
    }
}
