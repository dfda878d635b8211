import AsyncHTTPClient
import Foundation
import Logging
import Neo4jFake
import Neo4jHTTP
import Testing
import TwinStore

@testable import GraphProjection
@testable import Sync

/// Shards project into one Neo4j at the same time, each from its own store and for its own repositories: the
/// projection is scoped by repository, so they never touch each other's nodes.
@Suite("Projection from several shards into one Neo4j")
struct ProjectionShardTests {
    @Test("concurrent shards build the same graph as one projector, and a shard's rebuild leaves the others' nodes alone")
    func concurrentShards() async throws {
        let repositories = ["acme/a", "acme/b", "acme/c"]
        let single = try await ProjectionHarness()
        defer { single.removeFiles() }
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v5_26))
        var shards: [(store: TwinStore, projector: GraphProjector, folder: URL)] = []
        for repository in repositories {
            _ = try single.store.apply(ProjectionFixture.batch(repository: repository, commits: 12))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shard-\(UUID().uuidString)")
            let store = try TwinStore(path: folder.appendingPathComponent("store.sqlite").path, logger: Logger(label: "test"))
            _ = try store.apply(ProjectionFixture.batch(repository: repository, commits: 12))
            let client = try Neo4jClient(
                configuration: Neo4jClientConfiguration(
                    url: server.url, authentication: .basic(user: "neo4j", password: "secret"), requestTimeout: .seconds(10), maxRetries: 1),
                httpClient: .shared, logger: Logger(label: "test"), sleep: { _ in })
            shards.append((store, GraphProjector(store: store, client: client, batchSize: 7, logger: Logger(label: "test"), now: { ProjectionFixture.base }), folder))
        }
        defer { shards.forEach { try? FileManager.default.removeItem(at: $0.folder) } }
        let asOf = ProjectionFixture.at(hours: 48)

        // The shards at once, each its own repository; the reference: one projector over one store with all three.
        let results = await withTaskGroup(of: ProjectionResult.self) { group in
            for (index, shard) in shards.enumerated() {
                group.addTask { await shard.projector.project(repository: ProjectionFixture.settings(repository: repositories[index]), asOf: asOf) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.outcome == .success }, "\(results.compactMap(\.error))")
        for repository in repositories {
            _ = await single.projector.project(repository: ProjectionFixture.settings(repository: repository), asOf: asOf)
        }
        #expect(server.neo4j.graph.differences(from: single.neo4j.graph) == [], "concurrent shards = one projector")
        #expect(server.neo4j.graph.nodeCounts["Commit"] == 36)

        // One shard rebuilds its repository: the other shards' nodes and relationships are untouched.
        let before = server.neo4j.graph
        let rebuilt = await shards[0].projector.rebuild(repository: ProjectionFixture.settings(repository: "acme/a"), asOf: asOf)
        #expect(rebuilt.outcome == .success, "\(rebuilt.error ?? "")")
        #expect(server.neo4j.graph.differences(from: before) == [], "a rebuild scoped to acme/a leaves the same graph")
        for (id, properties) in before.nodes where properties["repository"] != .string("acme/a") {
            #expect(server.neo4j.graph.nodes[id] == properties, "\(id)")
        }
        await server.stop()
        await single.close()
    }
}
