import Dora
import Foundation
import Neo4jFake
import Testing
import TwinConfig
import TwinStore

@testable import GraphProjection
@testable import Sync

/// The projection's `Deployment` nodes and `FIRST_DEPLOYED` come from the engine's v1.2 selection: tag-triggered
/// runs count, feature-branch runs do not, a superseded GitHub Deployment stays a deployment.
@Suite("Projection of v1.2 deployments")
struct ProjectionTagDeployTests {
    typealias P = ProjectionFixture

    static func run(_ id: Int64, branch: String, sha: Int, conclusion: String, attempt: Int = 1, hours: Double) -> StoredWorkflowRun {
        StoredWorkflowRun(
            repository: P.repository, id: id, workflowId: 20, name: "Deploy", headBranch: branch, headSha: P.sha(sha),
            status: "completed", conclusion: conclusion, runAttempt: attempt, runNumber: Int(id), createdAt: P.at(hours: hours - 0.1),
            runStartedAt: P.at(hours: hours - 0.1), updatedAt: P.at(hours: hours))
    }

    @Test("tag-triggered runs are Deployment nodes with FIRST_DEPLOYED; a feature-branch run is not")
    func tagRunsAreDeployments() async throws {
        let harness = try await ProjectionHarness()
        defer { harness.removeFiles() }
        var batch = P.batch()  // tags v1 -> commit 2, v2 -> commit 5
        batch.workflows.append(
            StoredWorkflow(repository: P.repository, id: 20, name: "Deploy", path: ".github/workflows/deploy.yml", state: "active"))
        batch.workflowRuns += [
            Self.run(201, branch: "v1", sha: 2, conclusion: "success", hours: 2.5),
            Self.run(202, branch: "feature/x", sha: 4, conclusion: "success", hours: 4.5),
            Self.run(203, branch: "v2", sha: 5, conclusion: "success", attempt: 2, hours: 6.5),
            Self.run(204, branch: "main", sha: 6, conclusion: "failure", hours: 7.5),
        ]
        _ = try harness.store.apply(batch)
        var settings = P.settings()
        settings.definitions.deploymentSource = .workflow(names: ["Deploy"])
        let result = await harness.projector.project(repository: settings, asOf: P.at(hours: 24))
        await harness.close()
        #expect(result.outcome == .success, "\(result.error ?? "")")
        let graph = harness.neo4j.graph
        let deployments = graph.nodes(labelled: "Deployment").values
        #expect(Set(deployments.compactMap { $0["key"] }) == [.string("run:201"), .string("run:203"), .string("run:204")])
        #expect(deployments.filter { $0["succeeded"] == .bool(false) }.map { $0["key"] } == [.string("run:204")])
        let firstDeployed = graph.relationships(ofType: "FIRST_DEPLOYED")
        #expect(firstDeployed.filter { $0.key.from.key.contains("run:203") }.count == 3)  // commits 3, 4, 5
        #expect(firstDeployed.filter { $0.key.from.key.contains("run:201") }.count == 3)  // commits 0, 1, 2 (baseline)
        #expect(!firstDeployed.contains { $0.key.from.key.contains("run:202") })
    }
}
