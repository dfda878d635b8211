import Foundation
import Testing

@testable import TwinConfig

/// First-run traps of the Docker Compose stack that the configuration loader names before anything starts.
@Suite struct FirstRunTrapTests {
    private func warnings(neo4jPassword: String) throws -> [String] {
        try ConfigLoader(environment: ["NEO4J_PASSWORD": neo4jPassword])
            .load(data: Data(#"{"neo4j": {"url": "http://localhost:7474"}, "repositories": [{"name": "o/r"}]}"#.utf8)).warnings
    }

    @Test(arguments: ["pass/word-long", "short7!", "neo4j"])
    func aNeo4jPasswordTheImageRefusesIsWarnedAboutWithoutShowingIt(password: String) throws {
        let found = try warnings(neo4jPassword: password)
        #expect(found.contains { $0.contains("Neo4j password") && $0.contains("refuse") })
        #expect(found.contains { $0.contains("data volume is new") }, "the volume trap is named")
        if password != "neo4j" {  // the image's default, named as such
            #expect(!found.joined().contains(password), "the password itself never appears")
        }
    }

    @Test func anAcceptablePasswordGivesNoWarning() throws {
        #expect(try warnings(neo4jPassword: "a-long-password-9") == [])
    }

    @Test func aFolderWhereTheConfigurationFileShouldBeIsAClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("config.json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try ConfigLoader(environment: [:]).load(path: folder.path)
        } throws: { error in
            "\(error)".contains("is a folder") && "\(error)".contains("config.example.json")
        }
    }
}
