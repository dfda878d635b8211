import Foundation
import Testing

@testable import GraphProjection
@testable import Sync

/// The package root, found from this file (CI clones the repository elsewhere).
let projectionPackageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite("Projection Cypher and schema are pinned")
struct ProjectionGoldenTests {
    static let goldenFolder = projectionPackageRoot.appendingPathComponent("Tests/SyncTests/ProjectionGolden")
    static let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"

    @Test("every projection statement matches its golden file", arguments: ProjectionStatements.all.map(\.name))
    func statementMatchesGolden(name: String) throws {
        let text = try #require(ProjectionStatements.all.first { $0.name == name }?.text)
        let file = Self.goldenFolder.appendingPathComponent("\(name).cypher")
        if Self.update {
            try FileManager.default.createDirectory(at: Self.goldenFolder, withIntermediateDirectories: true)
            try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(golden == text + "\n", "regenerate with UPDATE_GOLDEN=1 if the change is intended")
    }

    @Test("there is no golden file without a statement")
    func noStaleGoldenFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.goldenFolder.path).filter { $0.hasSuffix(".cypher") }
        let names = Set(ProjectionStatements.all.map { "\($0.name).cypher" })
        #expect(Set(files) == names)
        #expect(names.count == ProjectionStatements.all.count, "statement names are unique")
    }

    @Test("statement texts carry values only as parameters")
    func onlyParameters() {
        for (name, text) in ProjectionStatements.all {
            #expect(!text.contains("'") && !text.contains("\""), "\(name) has a literal")
            #expect(!text.contains("\n"), "\(name) is one line")
        }
    }

    @Test("docs/graph-schema.json mirrors GraphSchema.current")
    func schemaDocumentMatches() throws {
        let file = projectionPackageRoot.appendingPathComponent("docs/graph-schema.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let expected = try encoder.encode(GraphSchema.current)
        if Self.update { try (String(decoding: expected, as: UTF8.self) + "\n").write(to: file, atomically: true, encoding: .utf8) }
        let document = try JSONDecoder().decode(GraphSchema.self, from: Data(contentsOf: file))
        #expect(document == GraphSchema.current, "regenerate docs/graph-schema.json with UPDATE_GOLDEN=1")
    }

    @Test("every node type has a uniqueness constraint migration on its key, migrations are uniquely named and ordered")
    func migrationsCoverKeys() {
        let schema = GraphSchema.current
        let names = schema.migrations.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names == names.sorted())
        for node in schema.nodes {
            #expect(schema.migrations.contains { $0.statement.contains("(n:\(node.label))") && $0.statement.hasSuffix("IS UNIQUE") })
            #expect(node.key.allSatisfy { key in node.properties.contains { $0.name == key } })
            if node.label != "SchemaMigration" { #expect(node.key.first == "repository") }
        }
        for migration in schema.migrations { #expect(migration.statement.contains("IF NOT EXISTS")) }
    }
}
