import Foundation
import Testing

@testable import TwinConfig

@Suite struct PrototypeConfigConverterTests {
    // The shape of the prototype's config.json (jangruenwaldt/devops-digital-twin), with placeholder secrets.
    static let prototype = #"""
        {
          "personal_access_token": "placeholder-not-a-token",
          "main_branch": "master",
          "twin_owner": "twbs",
          "twin_name": "bootstrap",
          "commit_data_source": "https://github.com/twbs/bootstrap",
          "deployment_data_source": "https://github.com/twbs/bootstrap",
          "project_management_data_source": "https://github.com/twbs/issues-elsewhere",
          "automations_data_source": "https://github.com/twbs/bootstrap",
          "automations_history_data_source": "https://github.com/twbs/bootstrap",
          "update_interval_in_hours": "24",
          "enable_logs": "true",
          "automation_history_since": "2023-01-25",
          "force_update_on_first_launch": "false",
          "deployment_automation_name": "pages build and deployment",
          "ci_automation_names": ["CSS", "Lint"],
          "test_automation_names": ["JS Tests", "CSS"],
          "project_management_bug_categories": ["regression", "bug&confirmed", "you can combine two categories as seen above. Both have to be present"],
          "deployment_regex": "^v5\\.\\d+\\.\\d+$",
          "db_address": "bolt://localhost:7687",
          "db_user": "neo4j",
          "db_pw": "placeholder-password"
        }
        """#

    @Test func thePrototypeFormatIsConvertedKeyByKey() throws {
        let (json, warnings) = try PrototypeConfigConverter.convert(data: Data(Self.prototype.utf8))
        #expect(!json.contains("placeholder-not-a-token"))
        #expect(!json.contains("placeholder-password"))
        #expect(warnings.contains { $0.contains("GITHUB_TOKEN") })
        #expect(warnings.contains { $0.contains("NEO4J_PASSWORD") })
        let config = try ConfigLoader(environment: [:]).load(data: Data(json.utf8)).configuration
        let repository = try #require(config.repositories.first)
        #expect(repository.name == "twbs/bootstrap")
        #expect(repository.branch == "master")
        #expect(repository.sources.issues == "twbs/issues-elsewhere")
        #expect(repository.sources.commits == "twbs/bootstrap")
        #expect(repository.definitions.deploymentPattern == #"^v5\.\d+\.\d+$"#)
        #expect(repository.definitions.incidentRules == [["regression"], ["bug", "confirmed"]])
        #expect(repository.definitions.ciWorkflows == ["pages build and deployment", "CSS", "Lint", "JS Tests"])
        #expect(repository.since == ISO8601DateFormatter().date(from: "2023-01-25T00:00:00Z"))
        #expect(config.sync.interval == 86_400)
        #expect(config.neo4j?.url == "http://localhost:7474")
        #expect(config.neo4j?.user == "neo4j")
    }

    @Test func thePrototypeFormatIsAlsoAcceptedDirectlyWithAWarning() throws {
        let loaded = try ConfigLoader(environment: [:]).load(data: Data(Self.prototype.utf8))
        #expect(loaded.configuration.repositories.first?.name == "twbs/bootstrap")
        #expect(loaded.warnings.first?.contains("prototype") == true)
    }

    @Test func aPrototypeStringBooleanThatIsNotABooleanIsRejected() throws {
        let bad = #"{"twin_owner": "o", "twin_name": "r", "enable_logs": "sometimes"}"#
        #expect(throws: ConfigError.self) { try PrototypeConfigConverter.convert(data: Data(bad.utf8)) }
    }

    @Test func aFileInTheNewFormatIsNotMistakenForThePrototype() {
        #expect(throws: ConfigError.self) { try PrototypeConfigConverter.convert(data: Data(#"{"repositories": []}"#.utf8)) }
    }
}
