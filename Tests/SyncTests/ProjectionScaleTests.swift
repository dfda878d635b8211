import Dora
import Foundation
import Neo4jFake
import Neo4jHTTP
import Testing
import TwinStore

@testable import GraphProjection
@testable import Sync

/// Projects a large generated repository into the strict fake and prints the request/statement figures.
/// Runs only with `PROJECTION_SCALE_COMMITS=N` (reported as skipped otherwise); it asserts correctness, never time.
@Suite("Projection at scale", .serialized)
struct ProjectionScaleTests {
    static let commits = Int(ProcessInfo.processInfo.environment["PROJECTION_SCALE_COMMITS"] ?? "") ?? 0

    @Test("a large repository projects completely in batches", .enabled(if: commits > 0, "set PROJECTION_SCALE_COMMITS"),
        arguments: [FakeNeo4jVersion.v4_4, .v2025])
    func largeRepository(version: FakeNeo4jVersion) async throws {
        let harness = try await ProjectionHarness(version: version, requestTimeout: .seconds(300))
        defer { harness.removeFiles() }
        harness.neo4j.setRecordingStatements(false)
        var items = 0
        var start = 0
        while start < Self.commits {
            let batch = ProjectionFixture.large(from: start, to: min(start + 5000, Self.commits))
            items += batch.commits.count + batch.tags.count + batch.releases.count + batch.workflowRuns.count + batch.issues.count
                + batch.workflows.count
            _ = try harness.store.apply(batch)
            start += 5000
        }
        let clock = ContinuousClock()
        let data = try harness.store.repositoryData(ProjectionFixture.repository)
        let timelineStart = clock.now
        _ = try DoraEngine.timeline(for: data, definitions: ProjectionFixture.settings().definitions, asOf: ProjectionFixture.at(hours: Double(Self.commits + 24)))
        print("projection.scale timeline_seconds=\(clock.now - timelineStart)")
        let began = clock.now
        let result = await harness.projector.project(
            repository: ProjectionFixture.settings(), asOf: ProjectionFixture.at(hours: Double(Self.commits + 24)))
        let elapsed = clock.now - began
        await harness.close()
        #expect(result.outcome == .success, "\(result.error ?? "")")
        let graph = harness.neo4j.graph
        #expect(graph.nodeCounts["Commit"] == Self.commits)
        #expect(graph.relationshipCounts["PARENT"] == Self.commits - 1)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let perThousand = 1000.0 / Double(items)
        print(
            "projection.scale version=\(version.rawValue) items=\(items) rows=\(result.itemsWritten) statements=\(result.statements)"
                + " requests=\(result.requests) requests_per_1000_items=\(String(format: "%.2f", Double(result.requests) * perThousand))"
                + " statements_per_1000_items=\(String(format: "%.2f", Double(result.statements) * perThousand))"
                + " seconds=\(String(format: "%.1f", seconds)) rows_per_second=\(String(format: "%.0f", Double(result.itemsWritten) / seconds))")
    }
}

extension ProjectionFixture {
    /// Commits `from..<to` of a large linear history: a tagged release every 100 commits, a CI run every 10, an
    /// issue every 200 (every other one an incident).
    static func large(from: Int, to: Int) -> StoreBatch {
        var batch = StoreBatch()
        for index in from..<to {
            let time = at(hours: Double(index))
            batch.commits.append(
                StoredCommit(
                    repository: repository, sha: sha(index), parents: index == 0 ? [] : [sha(index - 1)],
                    authorName: "dev\(index % 20)", authorLogin: "dev\(index % 20)", authoredAt: time, committedAt: time,
                    message: "commit \(index)"))
            if index % 100 == 99 {
                let tag = "v\(index / 100)"
                batch.tags.append(StoredTag(repository: repository, name: tag, commitSha: sha(index)))
                batch.releases.append(
                    StoredRelease(
                        repository: repository, id: Int64(index / 100 + 1), tagName: tag, createdAt: time.addingTimeInterval(600),
                        publishedAt: time.addingTimeInterval(600), commitSha: sha(index)))
            }
            if index % 10 == 0 {
                batch.workflowRuns.append(
                    StoredWorkflowRun(
                        repository: repository, id: Int64(index + 1), workflowId: 1, name: "CI", headBranch: "main",
                        headSha: sha(index), status: "completed", conclusion: "success", runNumber: index / 10 + 1, createdAt: time,
                        runStartedAt: time, updatedAt: time.addingTimeInterval(300)))
            }
            if index % 200 == 0 {
                batch.issues.append(
                    StoredIssue(
                        repository: repository, number: index / 200 + 1, id: Int64(index), title: "issue \(index)", state: "closed",
                        labels: index % 400 == 0 ? ["incident"] : ["bug"], userLogin: "dev\(index % 20)", createdAt: time,
                        updatedAt: time.addingTimeInterval(7200), closedAt: time.addingTimeInterval(7200)))
            }
        }
        if from == 0 {
            batch.workflows.append(StoredWorkflow(repository: repository, id: 1, name: "CI", path: ".github/workflows/ci.yml", state: "active"))
        }
        return batch
    }
}
