import Foundation
import Testing

@testable import Dora

/// Spec v1.2 selection: which workflow runs deploy the tracked branch, and what a GitHub Deployment is from
/// its statuses known at `asOf`.
@Suite struct DeploymentSelectionTests {
    typealias F = Fixtures

    // c0 <- c1 <- c2 on main; f0 is a commit of a feature branch (not synced: not in the graph).
    static let commits = F.linear([0, 1, 2])
    static let tags = [
        TagRecord(name: "v1.0.0", commitSha: "c1"),
        TagRecord(name: "v1.1.0", commitSha: "c2"),
        TagRecord(name: "v9-experiment", commitSha: "f0"),
    ]
    static let workflow = DoraDefinitions(deploymentSource: .workflow(names: ["Deploy"]))
    static let environment = DoraDefinitions(deploymentSource: .deployments(environmentPattern: "^prod$"))

    static func timeline(runs: [WorkflowRunRecord], asOf: Date = F.at(10)) throws -> DeploymentTimeline {
        let data = RepositoryData(repository: "r", commits: commits, tags: tags, workflowRuns: runs)
        return try DoraEngine.timeline(for: data, definitions: workflow, asOf: asOf)
    }

    static func timeline(deployments: [DeploymentRecord], asOf: Date = F.at(10)) throws -> DeploymentTimeline {
        let data = RepositoryData(repository: "r", commits: commits, deployments: deployments)
        return try DoraEngine.timeline(for: data, definitions: environment, asOf: asOf)
    }

    // MARK: - Workflow runs

    @Test func aRunOnTheTrackedBranchIsADeployment() throws {
        let timeline = try Self.timeline(runs: [F.run(1, "Deploy", branch: "main", sha: "c1", conclusion: "success", updated: F.at(1, 2))])
        #expect(timeline.deployments.map(\.key) == ["run:1"])
        #expect(timeline.deployments.map(\.time) == [F.at(1, 2)])
        #expect(timeline.deployments.map(\.commitSha) == ["c1"])
    }

    @Test func aTagRunWhoseTagIsOnTheGraphIsADeployment() throws {
        // A run triggered by pushing tag v1.1.0: GitHub reports the tag name as head_branch.
        let timeline = try Self.timeline(runs: [F.run(1, "Deploy", branch: "v1.1.0", sha: "c2", conclusion: "success", updated: F.at(2, 3))])
        #expect(timeline.deployments.map(\.key) == ["run:1"])
        #expect(timeline.deployments.first?.commitSha == "c2")
        #expect(timeline.deployments.first?.tracked == true)
    }

    @Test func aTagRunWhoseTagPointsOutsideTheGraphDoesNotCount() throws {
        let runs = [
            F.run(1, "Deploy", branch: "v9-experiment", sha: "f0", conclusion: "success", updated: F.at(3)),
            F.run(2, "Deploy", branch: "v9-experiment", sha: "f0", conclusion: "failure", updated: F.at(4)),
        ]
        let timeline = try Self.timeline(runs: runs)
        #expect(timeline.deployments.isEmpty)
        #expect(timeline.failedAttempts.isEmpty)
        let data = RepositoryData(repository: "r", commits: Self.commits, tags: Self.tags, workflowRuns: runs)
        let selection = try #require(try DoraEngine.workflowRunSelection(for: data, definitions: Self.workflow, asOf: F.at(10)))
        #expect(selection == WorkflowRunSelection(
            completedRuns: 2, countedRuns: 0,
            excluded: [.init(headBranch: "v9-experiment", runs: 2, reason: .tagNotOnTrackedBranch)]))
    }

    @Test func aTagWhoseCommitIsCommittedAfterAsOfIsNotOnTheGraphYet() throws {
        let timeline = try Self.timeline(
            runs: [F.run(1, "Deploy", branch: "v1.1.0", sha: "c2", conclusion: "success", updated: F.at(1, 23))], asOf: F.at(1, 23.5))
        #expect(timeline.deployments.isEmpty)
    }

    @Test func aFeatureBranchRunDoesNotCount() throws {
        let runs = [
            F.run(1, "Deploy", branch: "feature/login", sha: "c2", conclusion: "success", updated: F.at(3)),
            F.run(2, "Deploy", branch: "feature/login", sha: "c2", conclusion: "failure", updated: F.at(3, 1)),
            F.run(3, "Deploy", branch: nil, sha: "c2", conclusion: "success", updated: F.at(3, 2)),
        ]
        let timeline = try Self.timeline(runs: runs)
        #expect(timeline.deployments.isEmpty)
        #expect(timeline.failedAttempts.isEmpty)
        let data = RepositoryData(repository: "r", commits: Self.commits, tags: Self.tags, workflowRuns: runs)
        let selection = try #require(try DoraEngine.workflowRunSelection(for: data, definitions: Self.workflow, asOf: F.at(10)))
        #expect(selection.countedRuns == 0)
        #expect(selection.excluded == [
            .init(headBranch: "feature/login", runs: 2, reason: .neitherTrackedBranchNorTag),
            .init(headBranch: nil, runs: 1, reason: .neitherTrackedBranchNorTag),
        ])
    }

    @Test func aReRunWhoseLatestAttemptSucceedsIsOneDeployment() throws {
        let runs = [
            F.run(1, "Deploy", branch: "v1.0.0", sha: "c1", conclusion: "failure", attempt: 1, updated: F.at(1, 1)),
            F.run(1, "Deploy", branch: "v1.0.0", sha: "c1", conclusion: "success", attempt: 2, updated: F.at(1, 3)),
        ]
        let timeline = try Self.timeline(runs: runs)
        #expect(timeline.deployments.map(\.key) == ["run:1"])
        #expect(timeline.deployments.map(\.time) == [F.at(1, 3)])
        #expect(timeline.failedAttempts.isEmpty)
        // Known at asOf between the attempts: only the failed first attempt.
        let before = try Self.timeline(runs: runs, asOf: F.at(1, 2))
        #expect(before.deployments.isEmpty)
        #expect(before.failedAttempts.map(\.key) == ["run:1"])
    }

    @Test(arguments: ["cancelled", "skipped", "neutral", "action_required", "stale"])
    func otherConclusionsAreNeitherDeploymentsNorFailedAttempts(_ conclusion: String) throws {
        let timeline = try Self.timeline(runs: [
            F.run(1, "Deploy", branch: "main", sha: "c1", conclusion: conclusion, updated: F.at(1, 2)),
            F.run(2, "Deploy", branch: "v1.1.0", sha: "c2", conclusion: conclusion, updated: F.at(2, 2)),
        ])
        #expect(timeline.deployments.isEmpty)
        #expect(timeline.failedAttempts.isEmpty)
    }

    @Test func failureAndTimedOutOnATagAreFailedAttempts() throws {
        let timeline = try Self.timeline(runs: [
            F.run(1, "Deploy", branch: "v1.0.0", sha: "c1", conclusion: "timed_out", updated: F.at(1, 2)),
            F.run(2, "Deploy", branch: "v1.1.0", sha: "c2", conclusion: "failure", updated: F.at(2, 2)),
            F.run(3, "Deploy", branch: "main", sha: "c2", conclusion: "success", updated: F.at(2, 5)),
        ])
        #expect(timeline.failedAttempts.map(\.key) == ["run:1", "run:2"])
        #expect(timeline.deployments.map(\.key) == ["run:3"])
    }

    // MARK: - GitHub Deployments

    @Test func aDeploymentThatSucceededThenBecameInactiveIsADeploymentAtItsSuccess() throws {
        let deployments = [
            F.deployment(1, env: "prod", sha: "c1", statuses: [("in_progress", F.at(1)), ("success", F.at(1, 1)), ("inactive", F.at(2, 1))]),
            F.deployment(2, env: "prod", sha: "c2", statuses: [("in_progress", F.at(2)), ("success", F.at(2, 1))]),
        ]
        let timeline = try Self.timeline(deployments: deployments)
        #expect(timeline.deployments.map(\.key) == ["deployment:1", "deployment:2"])
        #expect(timeline.deployments.map(\.time) == [F.at(1, 1), F.at(2, 1)])
        #expect(timeline.failedAttempts.isEmpty)
    }

    @Test func failureThenSuccessIsADeploymentAtTheFirstSuccess() throws {
        let deployments = [
            F.deployment(
                1, env: "prod", sha: "c1",
                statuses: [("failure", F.at(1)), ("success", F.at(1, 2)), ("success", F.at(1, 5)), ("inactive", F.at(3))])
        ]
        let timeline = try Self.timeline(deployments: deployments)
        #expect(timeline.deployments.map(\.time) == [F.at(1, 2)])
        #expect(timeline.failedAttempts.isEmpty)
        // Before the success was known it was a failed attempt, dated by its failure.
        let before = try Self.timeline(deployments: deployments, asOf: F.at(1, 1))
        #expect(before.deployments.isEmpty)
        #expect(before.failedAttempts.map(\.time) == [F.at(1)])
    }

    @Test func errorOnlyIsAFailedAttemptAtTheFirstErrorOrFailure() throws {
        let timeline = try Self.timeline(deployments: [
            F.deployment(1, env: "prod", sha: "c1", statuses: [("in_progress", F.at(1)), ("error", F.at(1, 1)), ("failure", F.at(1, 2))]),
            F.deployment(2, env: "prod", sha: "c2", statuses: [("error", F.at(2)), ("inactive", F.at(3))]),
        ])
        #expect(timeline.deployments.isEmpty)
        #expect(timeline.failedAttempts.map(\.key) == ["deployment:1", "deployment:2"])
        #expect(timeline.failedAttempts.map(\.time) == [F.at(1, 1), F.at(2)])
    }

    @Test func inProgressOnlyIsNotYetAnything() throws {
        let timeline = try Self.timeline(deployments: [
            F.deployment(1, env: "prod", sha: "c1", statuses: [("queued", F.at(1)), ("pending", F.at(1, 1)), ("in_progress", F.at(1, 2))]),
            F.deployment(2, env: "prod", sha: "c2", statuses: []),
        ])
        #expect(timeline.deployments.isEmpty)
        #expect(timeline.failedAttempts.isEmpty)
    }

    @Test func statusesAtOrAfterAsOfAreIgnored() throws {
        let deployments = [
            F.deployment(1, env: "prod", sha: "c1", statuses: [("in_progress", F.at(1)), ("success", F.at(5))]),
            F.deployment(2, env: "prod", sha: "c2", statuses: [("in_progress", F.at(2)), ("failure", F.at(5, 1))]),
            F.deployment(3, env: "prod", sha: "c2", statuses: [("success", F.at(3)), ("inactive", F.at(5))]),
        ]
        let atFive = try Self.timeline(deployments: deployments, asOf: F.at(5))
        #expect(atFive.deployments.map(\.key) == ["deployment:3"])
        #expect(atFive.failedAttempts.isEmpty)
        let later = try Self.timeline(deployments: deployments, asOf: F.at(6))
        #expect(later.deployments.map(\.key) == ["deployment:3", "deployment:1"])
        #expect(later.failedAttempts.map(\.key) == ["deployment:2"])
    }

    @Test func aStoreWithOnlyTheLatestStateStillReadsIt() throws {
        let timeline = try Self.timeline(deployments: [
            F.deployment(1, env: "prod", sha: "c1", state: "success", at: F.at(1)),
            F.deployment(2, env: "prod", sha: "c2", state: "error", at: F.at(2)),
        ])
        #expect(timeline.deployments.map(\.key) == ["deployment:1"])
        #expect(timeline.failedAttempts.map(\.key) == ["deployment:2"])
    }

    @Test func selectionIsNilForOtherSources() throws {
        let data = RepositoryData(repository: "r", commits: Self.commits)
        #expect(try DoraEngine.workflowRunSelection(for: data, definitions: DoraDefinitions(), asOf: F.at(1)) == nil)
    }
}

@Suite struct WorkflowRunSelectionWarningTests {
    @Test func noWarningWhenSomeRunCountsOrThereAreNoRuns() {
        #expect(WorkflowRunSelection(completedRuns: 0, countedRuns: 0, excluded: []).warning(
            repository: "o/r", trackedBranch: "main", workflows: ["Deploy"]) == nil)
        #expect(WorkflowRunSelection(
            completedRuns: 3, countedRuns: 1, excluded: [.init(headBranch: "dev", runs: 2, reason: .neitherTrackedBranchNorTag)]
        ).warning(repository: "o/r", trackedBranch: "main", workflows: ["Deploy"]) == nil)
    }

    @Test func warnsThatHeadBranchIsNeitherTheTrackedBranchNorATag() throws {
        let selection = WorkflowRunSelection(
            completedRuns: 5, countedRuns: 0,
            excluded: [
                .init(headBranch: "v1.2.0", runs: 3, reason: .neitherTrackedBranchNorTag),
                .init(headBranch: "feature/x", runs: 2, reason: .neitherTrackedBranchNorTag),
            ])
        let text = try #require(selection.warning(repository: "o/r", trackedBranch: "main", workflows: ["Deploy"]))
        #expect(text.hasPrefix("warning: o/r: the deploying workflow 'Deploy' has 5 completed runs in the store, but none counts"))
        #expect(text.contains("neither the tracked branch 'main' nor a tag on it"))
        #expect(text.contains("'v1.2.0' (3 runs), 'feature/x' (2 runs)"))
    }

    @Test func warnsAboutTagsOffTheTrackedBranch() throws {
        let selection = WorkflowRunSelection(
            completedRuns: 1, countedRuns: 0, excluded: [.init(headBranch: "v2.0.0", runs: 1, reason: .tagNotOnTrackedBranch)])
        let text = try #require(selection.warning(repository: "o/r", trackedBranch: "main", workflows: ["deploy.yml"]))
        #expect(text.contains("1 completed run in the store"))
        #expect(text.contains("tags whose commit is not on the tracked branch 'main'"))
        #expect(text.contains("'v2.0.0' (1 run)"))
    }
}
