import Dora
import Foundation
import Logging
import Testing

@testable import TwinStore

@Suite("Reading from the store")
struct TwinStoreReadModelTests {
    private func populated() throws -> TemporaryStore {
        let temporary = try TemporaryStore()
        let repo = Fixtures.repository
        var batch = StoreBatch()
        batch.commits = [Fixtures.commit("a", at: 100), Fixtures.commit("b", parents: ["a"], at: 200)]
        batch.tags = [StoredTag(repository: repo, name: "v1", commitSha: "b", taggerDate: Fixtures.date(250))]
        batch.releases = [
            StoredRelease(
                repository: repo, id: 10, tagName: "v1", name: "One", draft: false, prerelease: true,
                createdAt: Fixtures.date(260), publishedAt: Fixtures.date(270), targetCommitish: "main",
                commitSha: "b")
        ]
        batch.issues = [
            StoredIssue(
                repository: repo, number: 1, id: 101, title: "Outage", state: "closed", stateReason: "completed",
                labels: ["incident", "P1"], userLogin: "u", createdAt: Fixtures.date(300),
                updatedAt: Fixtures.date(400), closedAt: Fixtures.date(400)),
            StoredIssue(
                repository: repo, number: 2, id: 102, title: "PR", state: "open", createdAt: Fixtures.date(300),
                updatedAt: Fixtures.date(300), isPullRequest: true),
        ]
        batch.workflows = [StoredWorkflow(repository: repo, id: 9, name: "CI", path: ".github/workflows/ci.yml", state: "active")]
        batch.workflowRuns = [
            StoredWorkflowRun(
                repository: repo, id: 77, workflowId: 9, name: "CI run", headBranch: "main", headSha: "b",
                event: "push", status: "completed", conclusion: "success", runAttempt: 2, runNumber: 5,
                createdAt: Fixtures.date(500), runStartedAt: Fixtures.date(510), updatedAt: Fixtures.date(600))
        ]
        batch.deployments = [
            StoredDeployment(
                repository: repo, id: 3, sha: "b", ref: "v1", environment: "production", createdAt: Fixtures.date(700),
                updatedAt: Fixtures.date(700))
        ]
        batch.deploymentStatuses = [.init(repository: repo, deploymentId: 3, state: "success", at: Fixtures.date(710))]
        try temporary.store.apply(batch)
        // Another repository must not leak in.
        var other = StoreBatch()
        other.commits = [StoredCommit(repository: "other/repo", sha: "z", parents: [], authoredAt: Fixtures.date(1), committedAt: Fixtures.date(1))]
        try temporary.store.apply(other)
        return temporary
    }

    @Test("repositoryData maps every live row to the Dora inputs")
    func repositoryDataMapsRows() throws {
        let temporary = try populated()
        let data = try temporary.store.repositoryData(Fixtures.repository)
        #expect(
            Set(data.commits) == [
                CommitRecord(sha: "a", parents: [], authoredAt: Fixtures.date(100), committedAt: Fixtures.date(110)),
                CommitRecord(sha: "b", parents: ["a"], authoredAt: Fixtures.date(200), committedAt: Fixtures.date(210)),
            ])
        #expect(data.tags == [TagRecord(name: "v1", commitSha: "b", taggerDate: Fixtures.date(250))])
        #expect(
            data.releases == [
                ReleaseRecord(id: 10, tagName: "v1", name: "One", draft: false, prerelease: true,
                              publishedAt: Fixtures.date(270), commitSha: "b")
            ])
        #expect(
            data.issues == [
                IssueRecord(number: 1, title: "Outage", isPullRequest: false, labels: ["incident", "P1"], state: "closed",
                            stateReason: "completed", createdAt: Fixtures.date(300), closedAt: Fixtures.date(400)),
                IssueRecord(number: 2, title: "PR", isPullRequest: true, labels: [], state: "open",
                            createdAt: Fixtures.date(300), closedAt: nil),
            ])
        #expect(
            data.workflowRuns == [
                WorkflowRunRecord(
                    id: 77, workflowId: 9, workflowName: "CI", workflowPath: ".github/workflows/ci.yml",
                    headBranch: "main", headSha: "b", event: "push", status: "completed", conclusion: "success",
                    runAttempt: 2, runStartedAt: Fixtures.date(510), createdAt: Fixtures.date(500),
                    updatedAt: Fixtures.date(600))
            ])
        #expect(
            data.deployments == [
                DeploymentRecord(id: 3, environment: "production", sha: "b", ref: "v1", createdAt: Fixtures.date(700),
                                 latestState: "success", latestStateAt: Fixtures.date(710))
            ])
    }

    @Test("entity counts separate issues from pull requests and skip deleted rows")
    func entityCountsAreLive() throws {
        let temporary = try populated()
        var deletion = StoreBatch()
        deletion.softDeletions = [.row(repository: Fixtures.repository, entity: .commits, key: "a")]
        try temporary.store.apply(deletion)
        #expect(
            try temporary.store.entityCounts(Fixtures.repository) == [
                "commits": 1, "tags": 1, "releases": 1, "issues": 1, "pull_requests": 1, "workflows": 1,
                "workflow_runs": 1, "deployments": 1,
            ])
        #expect(try temporary.store.repositories() == ["octo/app", "other/repo"])
    }

    @Test("sync history sums outcomes, items and requests and keeps the last success")
    func syncHealthSummarisesHistory() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let first = try store.beginSyncRun(repository: "o/r", startedAt: Fixtures.date(100))
        try store.finishSyncRun(
            id: first, finishedAt: Fixtures.date(130), outcome: "success", error: nil,
            requestsByStatus: ["200": 5, "304": 1], itemsByEntity: ["commits": 40])
        let second = try store.beginSyncRun(repository: "o/r", startedAt: Fixtures.date(200))
        try store.finishSyncRun(
            id: second, finishedAt: Fixtures.date(205), outcome: "rate_limited", error: "limit",
            requestsByStatus: ["304": 2, "403": 1], itemsByEntity: [:])
        _ = try store.beginSyncRun(repository: "o/r", startedAt: Fixtures.date(300))
        let health = try store.syncHealth("o/r")
        #expect(health.lastSuccessAt == Fixtures.date(130))
        #expect(health.lastAttemptAt == Fixtures.date(300))
        #expect(health.lastDuration == 5)
        #expect(health.lastOutcome == "rate_limited")
        #expect(health.outcomes == ["success": 1, "rate_limited": 1])
        #expect(health.requestsByStatus == ["200": 5, "304": 3, "403": 1])
        #expect(health.itemsByEntity == ["commits": 40])
    }

    @Test("rate limit, projection watermark and projection runs round-trip")
    func stateRoundTrips() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        #expect(try store.lastRateLimit() == nil)
        let record = RateLimitRecord(resource: "core", limit: 5000, remaining: 4990, used: 10, reset: Fixtures.date(999))
        try store.recordRateLimit(record, observedAt: Fixtures.date(1))
        #expect(try store.lastRateLimit() == record)
        #expect(try store.projectionWatermark(repository: "o/r") == 0)
        try store.setProjectionWatermark(repository: "o/r", 42)
        #expect(try store.projectionWatermark(repository: "o/r") == 42)
        try store.recordProjectionRun(
            repository: "o/r", startedAt: Fixtures.date(1), finishedAt: Fixtures.date(2), outcome: "success", error: nil)
    }
}
