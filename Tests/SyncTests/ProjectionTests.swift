import Dora
import Foundation
import Neo4jFake
import Neo4jHTTP
import Testing
import TwinStore

@testable import GraphProjection
@testable import Sync

@Suite("GraphProjector against the fake Neo4j")
struct ProjectionTests {
    @Test("a projection writes the graph model with datetimes and derived facts", arguments: [FakeNeo4jVersion.v4_4, .v2025])
    func writesModel(version: FakeNeo4jVersion) async throws {
        let harness = try await ProjectionHarness(version: version)
        defer { harness.removeFiles() }
        _ = try harness.store.apply(ProjectionFixture.batch())
        let result = await harness.projector.project(repository: ProjectionFixture.settings(), asOf: ProjectionFixture.at(hours: 24))
        await harness.close()
        #expect(result.outcome == .success, "\(result.error ?? "")")
        #expect(result.lag == 0)
        #expect(result.watermark == (try harness.store.maxSequence(repository: ProjectionFixture.repository)))
        let graph = harness.neo4j.graph
        #expect(graph.nodeCounts["Commit"] == 8)
        #expect(graph.nodeCounts["Release"] == 2)
        #expect(graph.nodeCounts["Tag"] == 2)
        #expect(graph.nodeCounts["Issue"] == 2)
        #expect(graph.nodeCounts["Label"] == 2)
        #expect(graph.nodeCounts["Person"] == 3)
        #expect(graph.nodeCounts["WorkflowRun"] == 8)
        #expect(graph.nodeCounts["Deployment"] == 2)
        #expect(graph.nodeCounts["SchemaMigration"] == GraphSchema.current.migrations.count)
        #expect(graph.relationshipCounts["PARENT"] == 7)
        #expect(graph.relationshipCounts["AUTHORED"] == 8)
        #expect(graph.relationshipCounts["RAN_ON"] == 8)
        #expect(graph.relationshipCounts["HAS_RUN"] == 8)
        #expect(graph.relationshipCounts["PREVIOUS_RUN"] == 7)
        #expect(graph.relationshipCounts["HAS_LABEL"] == 3)
        #expect(graph.relationshipCounts["OPENED"] == 2)
        #expect(graph.relationshipCounts["HEAD"] == 1)
        #expect(graph.relationshipCounts["DEPLOYS"] == 2)
        #expect(graph.relationshipCounts["PREVIOUS"] == 1)
        #expect(graph.relationshipCounts["FROM"] == 2)
        #expect(graph.relationshipCounts["TAGS"] == 2)
        #expect(graph.relationshipCounts["POINTS_TO"] == 2)
        // Release 2 (commit 5, published at 5.5 h) first deployed commits 3, 4 and 5.
        let firstDeployed = graph.relationships(ofType: "FIRST_DEPLOYED")
        let fromSecond = firstDeployed.filter { $0.key.from.key.contains("release:2") }
        #expect(fromSecond.count == 3)
        let commit3 = fromSecond.first { $0.key.to.key.contains(ProjectionFixture.sha(3)) }
        // JSON has one number type; 9000.0 may come back as an integer.
        #expect([.double(2.5 * 3600), .int(9000)].contains(commit3?.value["leadTimeSeconds"]))
        // The incident opened at 6 h is attributed to release 2.
        let attributed = graph.relationships(ofType: "ATTRIBUTED_TO")
        #expect(attributed.count == 1)
        #expect(attributed.first?.key.to.key.contains("release:2") == true)
        // Every issue carries the engine's incident classification.
        let issues = graph.nodes.filter { $0.key.label == "Issue" }.sorted { $0.key < $1.key }
        #expect(issues.map { $0.value["number"] } == [.int(1), .int(2)])
        #expect(issues.map { $0.value["incident"] } == [.bool(false), .bool(true)])
        // Times are datetimes; every node but SchemaMigration carries the repository.
        let commit = try #require(graph.node("Commit", ["repository": .string(ProjectionFixture.repository), "sha": .string(ProjectionFixture.sha(0))]))
        #expect(commit["committedAt"] == .datetime("2023-11-14T22:13:20Z"))
        for (id, properties) in graph.nodes where id.label != "SchemaMigration" {
            #expect(properties["repository"] == .string(ProjectionFixture.repository), "\(id)")
        }
        // Every property written is declared in the schema.
        for (id, properties) in graph.nodes {
            let declared = Set(GraphSchema.current.node(id.label)?.properties.map(\.name) ?? [])
            #expect(Set(properties.keys).isSubset(of: declared), "\(id.label): \(Set(properties.keys).subtracting(declared))")
        }
    }

    @Test("statement texts do not depend on the data: quotes, backslashes, braces, newlines and keywords only change parameters")
    func textsIndependentOfData() async throws {
        let plain = try await ProjectionHarness()
        let nasty = try await ProjectionHarness()
        defer {
            plain.removeFiles()
            nasty.removeFiles()
        }
        _ = try plain.store.apply(ProjectionFixture.batch())
        _ = try nasty.store.apply(ProjectionFixture.batch(text: ProjectionFixture.nasty))
        let asOf = ProjectionFixture.at(hours: 24)
        let plainResult = await plain.projector.project(repository: ProjectionFixture.settings(), asOf: asOf)
        let nastyResult = await nasty.projector.project(repository: ProjectionFixture.settings(text: ProjectionFixture.nasty), asOf: asOf)
        await plain.close()
        await nasty.close()
        #expect(plainResult.outcome == .success)
        #expect(nastyResult.outcome == .success, "\(nastyResult.error ?? "")")
        let plainStatements = plain.neo4j.statements
        let nastyStatements = nasty.neo4j.statements
        #expect(plainStatements.map(\.text) == nastyStatements.map(\.text))
        #expect(plainStatements.map(\.parameters) != nastyStatements.map(\.parameters))
        for statement in nastyStatements {
            #expect(!statement.text.contains("DETACH DELETE n //"))
            #expect(!statement.text.contains("back\\slash"))
        }
        // The odd values arrive intact.
        let issue = nasty.neo4j.graph.node("Issue", ["repository": .string(ProjectionFixture.repository), "number": .int(2)])
        #expect(issue?["title"] == .string(ProjectionFixture.nasty("Outage after release")))
        #expect(nasty.neo4j.graph.relationshipCounts == plain.neo4j.graph.relationshipCounts)
        let flags = { (graph: FakeGraph) in graph.nodes.filter { $0.key.label == "Issue" }.sorted { $0.key < $1.key }.map { $0.value["incident"] } }
        #expect(flags(nasty.neo4j.graph) == flags(plain.neo4j.graph))
        #expect(flags(plain.neo4j.graph).contains(.bool(true)))
    }

    @Test("re-running without store changes sends nothing and changes nothing")
    func rerunIsNoOp() async throws {
        let harness = try await ProjectionHarness()
        defer { harness.removeFiles() }
        _ = try harness.store.apply(ProjectionFixture.batch())
        let settings = ProjectionFixture.settings()
        _ = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        let before = harness.neo4j.graph
        harness.neo4j.clearRecords()
        let again = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 25))
        await harness.close()
        #expect(again.outcome == .upToDate)
        #expect(again.requests == 0)
        #expect(harness.neo4j.graph == before)
    }

    @Test("projecting the same changes twice (at-least-once) gives the same graph")
    func replayIsIdempotent() async throws {
        let harness = try await ProjectionHarness()
        defer { harness.removeFiles() }
        _ = try harness.store.apply(ProjectionFixture.batch())
        let settings = ProjectionFixture.settings()
        _ = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        let before = harness.neo4j.graph
        try harness.store.setProjectionWatermark(repository: ProjectionFixture.repository, 0)
        let replay = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        await harness.close()
        #expect(replay.outcome == .success)
        #expect(harness.neo4j.graph == before, "\(harness.neo4j.graph.differences(from: before))")
    }

    @Test("small batches and both API flavours produce the same graph", arguments: [
        (FakeNeo4jVersion.v4_4, 3), (.v5_26, 3), (.v2025, 1),
    ])
    func batchSizesAgree(version: FakeNeo4jVersion, batchSize: Int) async throws {
        let reference = try await ProjectionHarness()
        defer { reference.removeFiles() }
        _ = try reference.store.apply(ProjectionFixture.batch())
        let small = try await reference.sibling(version: version, batchSize: batchSize)
        let settings = ProjectionFixture.settings()
        _ = await reference.projector.rebuild(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        let result = await small.projector.rebuild(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        await reference.close()
        await small.close()
        #expect(result.outcome == .success)
        let statementsWithRows = small.neo4j.statements.compactMap { $0.parameters["rows"]?.listValue?.count }
        #expect(statementsWithRows.allSatisfy { $0 <= batchSize })
        #expect(small.neo4j.graph == reference.neo4j.graph, "\(small.neo4j.graph.differences(from: reference.neo4j.graph))")
    }

    @Test("new commits, a force-push and a deleted release are reflected and equal a clean rebuild")
    func incrementalEqualsRebuild() async throws {
        let harness = try await ProjectionHarness()
        defer { harness.removeFiles() }
        let settings = ProjectionFixture.settings()
        _ = try harness.store.apply(ProjectionFixture.batch(commits: 6))
        _ = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        // More history, then commit 7 is force-pushed away and release 1 deleted.
        _ = try harness.store.apply(ProjectionFixture.batch(commits: 8))
        var deletion = StoreBatch()
        deletion.softDeletions = [
            .commitsUnreachable(repository: ProjectionFixture.repository, head: ProjectionFixture.sha(6)),
            .row(repository: ProjectionFixture.repository, entity: .releases, key: "1"),
        ]
        _ = try harness.store.apply(deletion)
        let result = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        #expect(result.outcome == .success, "\(result.error ?? "")")
        let graph = harness.neo4j.graph
        #expect(graph.nodeCounts["Commit"] == 7)
        #expect(graph.nodeCounts["Release"] == 1)
        #expect(graph.node("Commit", ["repository": .string(ProjectionFixture.repository), "sha": .string(ProjectionFixture.sha(7))]) == nil)

        let clean = try await harness.sibling()
        let rebuilt = await clean.projector.rebuild(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        await harness.close()
        await clean.close()
        #expect(rebuilt.outcome == .success)
        #expect(graph == clean.neo4j.graph, "\(graph.differences(from: clean.neo4j.graph))")
    }

    @Test("an unattributed incident matched by an AND rule is flagged, relabelled issues are reclassified, and a rebuild agrees")
    func incidentFlagFollowsRules() async throws {
        let harness = try await ProjectionHarness()
        defer { harness.removeFiles() }
        var settings = ProjectionFixture.settings()
        settings.definitions.incidentRules = [["incident"], ["bug", "prod"]]
        var batch = ProjectionFixture.batch()
        // Opened before any deployment: nothing to attribute it to.
        batch.issues.append(
            StoredIssue(
                repository: ProjectionFixture.repository, number: 3, id: 1003, title: "Prod down", state: "open", labels: ["prod", "bug"],
                userLogin: "dave", createdAt: ProjectionFixture.at(hours: 0.1), updatedAt: ProjectionFixture.at(hours: 0.1), closedAt: nil))
        _ = try harness.store.apply(batch)
        let first = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        #expect(first.outcome == .success, "\(first.error ?? "")")
        func incident(_ number: Int64) -> FakeJSON? {
            harness.neo4j.graph.node("Issue", ["repository": .string(ProjectionFixture.repository), "number": .int(number)])?["incident"]
        }
        #expect([incident(1), incident(2), incident(3)] == [.bool(false), .bool(true), .bool(true)])
        let issue3 = FakeGraph.NodeID(label: "Issue", key: ["repository": .string(ProjectionFixture.repository), "number": .int(3)])
        #expect(!harness.neo4j.graph.relationships(ofType: "ATTRIBUTED_TO").contains { $0.key.from == issue3 })
        // Issue 2 loses its incident label; issue 1 becomes bug & prod.
        var relabel = StoreBatch()
        for (number, labels) in [(Int64(2), ["bug"]), (1, ["bug", "prod"])] {
            var issue = try #require(batch.issues.first { Int64($0.number) == number })
            issue.labels = labels
            issue.updatedAt = ProjectionFixture.at(hours: 9)
            relabel.issues.append(issue)
        }
        _ = try harness.store.apply(relabel)
        let second = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        #expect(second.outcome == .success, "\(second.error ?? "")")
        #expect([incident(1), incident(2), incident(3)] == [.bool(true), .bool(false), .bool(true)])

        let clean = try await harness.sibling()
        let rebuilt = await clean.projector.rebuild(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        await harness.close()
        await clean.close()
        #expect(rebuilt.outcome == .success)
        #expect(harness.neo4j.graph == clean.neo4j.graph, "\(harness.neo4j.graph.differences(from: clean.neo4j.graph))")
    }

    @Test("Neo4j failing mid-projection leaves store and watermark alone; the next run converges to a clean rebuild",
        arguments: [FakeNeo4jVersion.v4_4, .v5_26])
    func outageAndCatchUp(version: FakeNeo4jVersion) async throws {
        // A refused connection surfaces at the deadline (AsyncHTTPClient keeps trying to connect until then).
        // 2 s: long enough for an answer on a machine busy with the other suites, short for the refused case.
        let harness = try await ProjectionHarness(version: version, batchSize: 4, requestTimeout: .seconds(2))
        defer { harness.removeFiles() }
        let settings = ProjectionFixture.settings()
        _ = try harness.store.apply(ProjectionFixture.batch(commits: 5))
        _ = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        _ = try harness.store.apply(ProjectionFixture.batch(commits: 9))
        let watermark = try harness.store.projectionWatermark(repository: ProjectionFixture.repository)
        let counts = try harness.store.entityCounts(ProjectionFixture.repository)

        harness.neo4j.inject(.unavailable, skip: 3)
        let failed = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        #expect(failed.outcome == .failed)
        #expect(failed.error?.contains("503") == true)
        #expect(try harness.store.projectionWatermark(repository: ProjectionFixture.repository) == watermark)
        #expect(try harness.store.entityCounts(ProjectionFixture.repository) == counts)
        #expect(failed.lag > 0)

        // Down entirely: connections refused.
        harness.neo4j.clearFaults()
        await harness.server.stop()
        let refused = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        #expect(refused.outcome == .failed)
        #expect(try harness.store.projectionWatermark(repository: ProjectionFixture.repository) == watermark)

        try await harness.server.restart()
        let caughtUp = await harness.projector.project(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        #expect(caughtUp.outcome == .success, "\(caughtUp.error ?? "")")
        #expect(caughtUp.lag == 0)

        let clean = try await harness.sibling(version: version)
        _ = await clean.projector.rebuild(repository: settings, asOf: ProjectionFixture.at(hours: 24))
        await harness.close()
        await clean.close()
        #expect(harness.neo4j.graph == clean.neo4j.graph, "\(harness.neo4j.graph.differences(from: clean.neo4j.graph))")
    }

    @Test("a rebuild only clears its own repository and records migrations once")
    func rebuildKeepsOtherRepositories() async throws {
        let harness = try await ProjectionHarness(batchSize: 5)
        defer { harness.removeFiles() }
        _ = try harness.store.apply(ProjectionFixture.batch())
        _ = try harness.store.apply(ProjectionFixture.batch(repository: "octo/other", commits: 4))
        let app = ProjectionFixture.settings()
        let other = ProjectionFixture.settings(repository: "octo/other")
        _ = await harness.projector.project(repository: app, asOf: ProjectionFixture.at(hours: 24))
        _ = await harness.projector.project(repository: other, asOf: ProjectionFixture.at(hours: 24))
        let before = harness.neo4j.graph
        let otherNodes = before.nodes.filter { $0.value["repository"] == .string("octo/other") }
        let rebuilt = await harness.projector.rebuild(repository: app, asOf: ProjectionFixture.at(hours: 24))
        #expect(rebuilt.outcome == .success)
        #expect(harness.neo4j.graph.nodes.filter { $0.value["repository"] == .string("octo/other") } == otherNodes)
        #expect(harness.neo4j.graph == before, "\(harness.neo4j.graph.differences(from: before))")

        // A fresh projector finds every migration applied.
        let again = GraphProjector(store: harness.store, client: harness.client, logger: .init(label: "test"))
        let applied = try await again.migrateSchema()
        await harness.close()
        #expect(applied.isEmpty)
    }

    @Test("a sync run is recorded as a SyncRun node")
    func syncRunNode() async throws {
        let harness = try await ProjectionHarness()
        defer { harness.removeFiles() }
        let result = SyncRunRecord(
            repository: ProjectionFixture.repository, startedAt: ProjectionFixture.base, finishedAt: ProjectionFixture.at(hours: 0.01),
            outcome: "success", error: nil, requests: 5, storedByEntity: ["commits": 2])
        try await harness.projector.recordSyncRun(result)
        await harness.close()
        let runs = harness.neo4j.graph.nodes(labelled: "SyncRun")
        #expect(runs.count == 1)
        #expect(runs.first?.value["requests"] == .int(5))
        #expect(runs.first?.value["entities"] == .list([.string("commits=2")]))
    }
}
