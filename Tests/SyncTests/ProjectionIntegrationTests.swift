import AsyncHTTPClient
import Dora
import Foundation
import Logging
import Neo4jFake
import Neo4jHTTP
import Testing
import TwinConfig
import TwinStore

@testable import GraphProjection
@testable import Sync

/// The simulator's repository synced into a store, then projected: into the fake always, and into a real Neo4j
/// when `NEO4J_URL` (with `NEO4J_USER`, `NEO4J_PASSWORD`) is set; without it that test is reported as skipped.
@Suite("Projection of a simulated repository", .serialized)
struct ProjectionIntegrationTests {
    static let environment = ProcessInfo.processInfo.environment
    static let neo4jURL = environment["NEO4J_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// What the graph must hold for the store's content: node counts per label and one lead time.
    struct Expectation {
        var nodes: [String: Int]
        var parents: Int
        var leadTime: (deployment: String, sha: String, seconds: Double)?
    }

    static func expectation(_ store: TwinStore, _ settings: RepositorySettings) throws -> Expectation {
        let counts = try store.entityCounts(settings.name)
        let data = try store.repositoryData(settings.name)
        let live = Set(data.commits.map(\.sha))
        let parents = data.commits.reduce(0) { $0 + $1.parents.filter(live.contains).count }
        let timeline = try DoraEngine.timeline(for: data, definitions: settings.definitions, asOf: SyncHarness.now)
        let lead = timeline.deployments.lazy.compactMap { deployment in
            deployment.firstDeployed.first.map { (deployment.key, $0.sha, $0.leadTimeSeconds) }
        }.first
        return Expectation(
            nodes: [
                "Commit": counts["commits"] ?? 0, "Tag": counts["tags"] ?? 0, "Release": counts["releases"] ?? 0,
                "Issue": (counts["issues"] ?? 0) + (counts["pull_requests"] ?? 0), "Workflow": counts["workflows"] ?? 0,
                "WorkflowRun": counts["workflow_runs"] ?? 0, "Deployment": timeline.deployments.count + timeline.failedAttempts.count,
            ],
            parents: parents, leadTime: lead)
    }

    @Test("a synced simulator repository projects into the fake with the store's counts")
    func simulatorIntoFake() async throws {
        try await SyncHarness.run { harness in
            let settings = SyncHarness.settings()
            let sync = await harness.sync(settings)
            #expect(sync.outcome == .success, "\(sync.error ?? "")")
            let projection = try await ProjectionHarness(store: harness.store, folder: harness.folder)
            let result = await projection.projector.project(repository: settings, asOf: SyncHarness.now)
            await projection.close()
            #expect(result.outcome == .success, "\(result.error ?? "")")
            let expected = try Self.expectation(harness.store, settings)
            let graph = projection.neo4j.graph
            for (label, count) in expected.nodes { #expect(graph.nodeCounts[label, default: 0] == count, "\(label)") }
            #expect(graph.relationshipCounts["PARENT", default: 0] == expected.parents)
            let lead = try #require(expected.leadTime)
            let relationship = graph.relationships(ofType: "FIRST_DEPLOYED").first {
                $0.key.from.key.contains("\"\(lead.deployment)\"") && $0.key.to.key.contains(lead.sha)
            }
            let value = relationship?.value["leadTimeSeconds"]
            #expect(value == .double(lead.seconds) || value == .int(Int64(lead.seconds)))
        }
    }

    @Test(
        "a synced simulator repository projects into a real Neo4j: node and relationship counts and a lead time",
        .enabled(if: neo4jURL != nil, "set NEO4J_URL, NEO4J_USER and NEO4J_PASSWORD to run against a real Neo4j"))
    func simulatorIntoRealNeo4j() async throws {
        let url = try #require(Self.neo4jURL)
        let user = Self.environment["NEO4J_USER"] ?? "neo4j"
        let password = Self.environment["NEO4J_PASSWORD"] ?? ""
        let client = try Neo4jClient(
            configuration: Neo4jClientConfiguration(
                url: url, database: Self.environment["NEO4J_DATABASE"] ?? "neo4j",
                authentication: password.isEmpty ? .none : .basic(user: user, password: password), requestTimeout: .seconds(60)),
            httpClient: .shared, logger: Logger(label: "neo4j"))
        try await SyncHarness.run { harness in
            // The rebuild and the clean-up touch only this repository's part of the graph (octo/app).
            let settings = SyncHarness.settings()
            let sync = await harness.sync(settings)
            #expect(sync.outcome == .success, "\(sync.error ?? "")")
            let projector = GraphProjector(store: harness.store, client: client, logger: Logger(label: "projection"))
            let result = await projector.rebuild(repository: settings, asOf: SyncHarness.now)
            #expect(result.outcome == .success, "\(result.error ?? "")")
            let expected = try Self.expectation(harness.store, settings)
            let repository: [String: CypherValue] = ["repository": .string(settings.name)]
            for (label, count) in expected.nodes {
                let rows = try await client.run(
                    CypherStatement("MATCH (n:\(label) {repository: $repository}) RETURN count(n) AS n", parameters: repository))
                #expect(rows.rows.first?.first?.intValue == Int64(count), "\(label)")
            }
            let parents = try await client.run(
                CypherStatement(
                    "MATCH (:Commit {repository: $repository})-[r:PARENT]->(:Commit {repository: $repository}) RETURN count(r) AS n",
                    parameters: repository))
            #expect(parents.rows.first?.first?.intValue == Int64(expected.parents))
            let lead = try #require(expected.leadTime)
            let leadRows = try await client.run(
                CypherStatement(
                    """
                    MATCH (d:Deployment {repository: $repository, key: $key})-[f:FIRST_DEPLOYED]->(c:Commit {repository: $repository, sha: $sha}) \
                    RETURN f.leadTimeSeconds AS lead, duration.inSeconds(c.committedAt, d.deployedAt).seconds AS seconds
                    """,
                    parameters: ["repository": .string(settings.name), "key": .string(lead.deployment), "sha": .string(lead.sha)]))
            #expect(leadRows.rows.first?.first?.doubleValue == lead.seconds)
            // Re-running changes nothing.
            let again = await projector.project(repository: settings, asOf: SyncHarness.now)
            #expect(again.outcome == .upToDate)
            // Clean up this repository's part of the graph.
            for label in GraphSchema.current.nodes.map(\.label) where label != "SchemaMigration" {
                _ = try await client.run(CypherStatement(ProjectionStatements.clearNodes(label), parameters: repository))
            }
        }
    }
}
