import AsyncHTTPClient
import Foundation
import Logging
import Neo4jFake
import Neo4jHTTP
import Testing
import TwinStore

@testable import GraphProjection
@testable import Sync

/// A cycle's projection is one batch across repositories: one statement per kind carries every repository's rows,
/// so requests grow with the rows written, not with the repositories; the graph is the one per-repository runs
/// write, also when Neo4j reports deadlocks (transient, retried) and when shards write at the same time.
@Suite("Projection batched across repositories", .serialized)
struct ProjectionBatchTests {
    static func fill(_ store: TwinStore, repositories: [String], commits: Int) throws {
        var batch = StoreBatch()
        for repository in repositories {
            let part = ProjectionFixture.batch(repository: repository, commits: commits)
            batch.commits += part.commits
            batch.tags += part.tags
            batch.releases += part.releases
            batch.issues += part.issues
            batch.workflows += part.workflows
            batch.workflowRuns += part.workflowRuns
        }
        _ = try store.apply(batch)
    }

    @Test("1,000 repositories in one batch write the graph per-repository runs write, in a fraction of the requests")
    func thousandRepositories() async throws {
        let names = (0..<1000).map { String(format: "org/repo-%04d", $0) }
        // A generous deadline: the debug-built fake parses 1,000-row statements slowly while other suites run.
        let batched = try await ProjectionHarness(batchSize: 1000, requestTimeout: .seconds(300))
        defer { batched.removeFiles() }
        try Self.fill(batched.store, repositories: names, commits: 4)
        batched.neo4j.setRecordingStatements(false)
        let settings = names.map { ProjectionFixture.settings(repository: $0) }
        let asOf = ProjectionFixture.at(hours: 48)
        _ = try await batched.projector.migrateSchema()
        batched.neo4j.clearRecords()

        let results = await batched.projector.project(repositories: settings, asOf: asOf)
        #expect(results.count == 1000)
        #expect(results.allSatisfy { $0.outcome == .success }, "\(results.compactMap(\.error).prefix(3))")
        let rows = results.reduce(0) { $0 + $1.itemsWritten }
        let batchRequests = batched.neo4j.requests.count
        #expect(batched.neo4j.graph.nodeCounts["Commit"] == 4000)
        #expect(batched.neo4j.graph.nodeCounts["Repository"] == 1000)

        // The reference: every 25th repository of the same store projected on its own into another fake (all
        // 1,000 one by one would be ~34,000 requests to the debug-built fake: minutes, for no more certainty, as
        // the batch treats every repository alike). The batched graph, restricted to them, must be theirs.
        let sample = Set(stride(from: 0, to: names.count, by: 25).map { names[$0] })
        let single = try await batched.sibling()
        single.neo4j.setRecordingStatements(false)
        _ = try await single.projector.migrateSchema()
        for repository in settings where sample.contains(repository.name) {  // the sibling shares the store
            try single.store.setProjectionWatermark(repository: repository.name, 0)
        }
        single.neo4j.clearRecords()
        for repository in settings where sample.contains(repository.name) {
            _ = await single.projector.project(repository: repository, asOf: asOf)
        }
        let perRepositoryRequests = single.neo4j.requests.count
        let differences = single.neo4j.graph.differences(from: batched.neo4j.graph, limit: .max).filter { line in
            // A line about a repository outside the sample is the reference's omission, not the batch's.
            guard let range = line.range(of: #""repository":"org/repo-[0-9]{4}""#, options: .regularExpression) else { return true }
            return sample.contains(String(line[range].dropFirst(14).dropLast()))
        }
        #expect(differences.isEmpty, "batched = per repository: \(differences.prefix(5))")
        #expect(single.neo4j.graph.nodeCounts["Repository"] == sample.count)

        // Requests follow rows: every request but the last of each packing carries about `batchSize` rows.
        let kinds = ProjectionStatements.all.count
        #expect(batchRequests <= rows / 1000 + kinds, "batched \(batchRequests) requests for \(rows) rows")
        #expect(perRepositoryRequests >= sample.count)
        print("projection.batch repositories=1000 rows=\(rows) batched_requests=\(batchRequests) per_repository_requests(\(sample.count) repositories)=\(perRepositoryRequests)")

        // Nothing changed: the next cycle sends nothing.
        batched.neo4j.clearRecords()
        let again = await batched.projector.project(repositories: settings, asOf: asOf)
        #expect(again.allSatisfy { $0.outcome == .upToDate })
        #expect(batched.neo4j.requests.isEmpty)
        await single.close()
        await batched.close()
    }

    @Test("deadlocks reported while the batch is written are retried and the graph is complete", arguments: [Neo4jAPIFlavour.transactional, .queryAPI])
    func deadlocksRetried(flavour: Neo4jAPIFlavour) async throws {
        let names = (0..<30).map { "org/r\($0)" }
        let harness = try await ProjectionHarness(flavour: flavour, batchSize: 50, maxRetries: 3)
        defer { harness.removeFiles() }
        try Self.fill(harness.store, repositories: names, commits: 6)
        let settings = names.map { ProjectionFixture.settings(repository: $0) }
        let asOf = ProjectionFixture.at(hours: 48)
        _ = try await harness.projector.migrateSchema()
        // Every third write request meets a deadlock once.
        for skip in stride(from: 0, to: 30, by: 3) { harness.neo4j.inject(.deadlock, skip: skip, count: 1) }
        let results = await harness.projector.project(repositories: settings, asOf: asOf)
        #expect(results.allSatisfy { $0.outcome == .success }, "\(results.compactMap(\.error).prefix(3))")

        let reference = try await harness.sibling()
        for repository in settings { try reference.store.setProjectionWatermark(repository: repository.name, 0) }
        for repository in settings { _ = await reference.projector.project(repository: repository, asOf: asOf) }
        #expect(harness.neo4j.graph.differences(from: reference.neo4j.graph) == [])
        await reference.close()
        await harness.close()
    }

    @Test("a deadlock that outlasts the retries fails the whole batch, keeps every watermark, and the next cycle catches up")
    func failedBatchKeepsWatermarks() async throws {
        let names = ["org/a", "org/b", "org/c"]
        let harness = try await ProjectionHarness(batchSize: 10, maxRetries: 1)
        defer { harness.removeFiles() }
        try Self.fill(harness.store, repositories: names, commits: 6)
        let settings = names.map { ProjectionFixture.settings(repository: $0) }
        let asOf = ProjectionFixture.at(hours: 48)
        _ = try await harness.projector.migrateSchema()
        harness.neo4j.inject(.deadlock, skip: 2, count: 2)
        let failed = await harness.projector.project(repositories: settings, asOf: asOf)
        #expect(failed.allSatisfy { $0.outcome == .failed && $0.itemsWritten == 0 })
        for name in names { #expect(try harness.store.projectionWatermark(repository: name) == 0) }
        harness.neo4j.clearFaults()
        let retried = await harness.projector.project(repositories: settings, asOf: asOf)
        #expect(retried.allSatisfy { $0.outcome == .success })
        #expect(harness.neo4j.graph.nodeCounts["Commit"] == 18)
        await harness.close()
    }

    @Test("shards batching their own repositories at the same time build the graph one projector builds")
    func concurrentBatchedShards() async throws {
        let names = (0..<40).map { "org/s\($0)" }
        let single = try await ProjectionHarness(batchSize: 25)
        defer { single.removeFiles() }
        try Self.fill(single.store, repositories: names, commits: 5)
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v5_26))
        var shards: [(projector: GraphProjector, repositories: [String], folder: URL)] = []
        for shard in 0..<4 {
            let owned = names.enumerated().filter { $0.offset % 4 == shard }.map(\.element)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shard-\(UUID().uuidString)")
            let store = try TwinStore(path: folder.appendingPathComponent("store.sqlite").path, logger: Logger(label: "test"))
            try Self.fill(store, repositories: owned, commits: 5)
            let client = try Neo4jClient(
                configuration: Neo4jClientConfiguration(
                    url: server.url, authentication: .basic(user: "neo4j", password: "secret"), requestTimeout: .seconds(10), maxRetries: 3),
                httpClient: .shared, logger: Logger(label: "test"), sleep: { _ in })
            shards.append((GraphProjector(store: store, client: client, batchSize: 25, logger: Logger(label: "test"), now: { ProjectionFixture.base }), owned, folder))
        }
        defer { shards.forEach { try? FileManager.default.removeItem(at: $0.folder) } }
        let asOf = ProjectionFixture.at(hours: 48)
        server.neo4j.inject(.deadlock, skip: 5, count: 3)
        let results = await withTaskGroup(of: [ProjectionResult].self) { group in
            for shard in shards {
                group.addTask { await shard.projector.project(repositories: shard.repositories.map { ProjectionFixture.settings(repository: $0) }, asOf: asOf) }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(results.count == 40)
        #expect(results.allSatisfy { $0.outcome == .success }, "\(results.compactMap(\.error).prefix(3))")
        _ = await single.projector.project(repositories: names.map { ProjectionFixture.settings(repository: $0) }, asOf: asOf)
        #expect(server.neo4j.graph.differences(from: single.neo4j.graph) == [], "concurrent batched shards = one projector")
        await server.stop()
        await single.close()
    }
}
