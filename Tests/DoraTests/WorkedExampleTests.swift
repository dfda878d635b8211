import Foundation
import Testing

@testable import Dora

/// The worked example of `docs/dora.md`, computed by hand there; this test checks every number.
@Suite struct WorkedExampleTests {
    typealias F = Fixtures

    static let data = RepositoryData(
        repository: "example/shop",
        commits: [
            F.commit("a", [], 0), F.commit("b", ["a"], 1), F.commit("c", ["b"], 2),
            F.commit("d", ["c"], 3.5), F.commit("e", ["d"], 5),
        ],
        releases: [
            F.release(1, "v1", F.at(1, 12), "b"),
            F.release(2, "v2", F.at(4), "d"),
            F.release(3, "v3", F.at(6), "e"),
            F.release(4, "v4", F.at(8), "e"),
        ],
        issues: [
            F.issue(1, F.at(4, 6), closed: F.at(4, 10)),
            F.issue(2, F.at(0, 12), closed: F.at(2)),
            F.issue(3, F.at(7), closed: F.at(8), labels: ["Incident"], reason: "not_planned"),
            F.issue(4, F.at(7), labels: ["bug"]),
            F.issue(5, F.at(9), closed: F.at(11)),
        ])

    static func report() throws -> RepositoryReport {
        try F.report(data, windows: [.days(7), .all], asOf: F.at(10))
    }

    @Test func sevenDayWindowMatchesTheHandComputedNumbers() throws {
        let w = try Self.report().windows[0]
        #expect(w.start == F.at(3))
        #expect(w.days == 7)
        #expect(w.deployments == 3)
        #expect(w.deploymentDays == 3)
        #expect(w.deploymentsPerDay == 3.0 / 7.0)
        #expect(w.leadTime == DurationStatistics(samples: 3, p50: 86_400, p75: 129_600, p90: 155_520, mean: 100_800))
        #expect(w.changeFailure == Ratio(numerator: 2, denominator: 3))
        #expect(w.incidents == 2 && w.attributedIncidents == 2 && w.unattributedIncidents == 0)
        #expect(w.timeToRestore == DurationStatistics(samples: 1, p50: 14_400, p90: 14_400, mean: 14_400))
        #expect(w.failedDeploymentRecovery == DurationStatistics(samples: 1, p50: 36_000, p90: 36_000, mean: 36_000))
        #expect(w.rework == Ratio(numerator: 0, denominator: 3))
        #expect(
            w.levels == [.deploymentFrequency: .high, .leadTime: .high, .changeFailureRate: .low, .timeToRestore: .high])
    }

    @Test func allWindowStartsAtTheFirstDeployment() throws {
        let w = try Self.report().windows[1]
        #expect(w.start == F.at(1, 12))
        #expect(w.days == 8.5)
        #expect(w.deployments == 4)
        #expect(w.deploymentDays == 4)
        #expect(w.leadTime.samples == 3)
        #expect(w.changeFailure == Ratio(numerator: 2, denominator: 4))
        #expect(w.incidents == 2)
        #expect(w.timeToRestore == DurationStatistics(samples: 2, p50: 72_000, p90: 118_080, mean: 72_000))
        #expect(w.failedDeploymentRecovery.samples == 1)
        #expect(w.rework == Ratio(numerator: 1, denominator: 4))
        #expect(
            w.levels == [.deploymentFrequency: .high, .leadTime: .high, .changeFailureRate: .low, .timeToRestore: .high])
    }

    @Test func openIncidentsAndTimelineFacts() throws {
        #expect(try Self.report().openIncidents == 1)
        let timeline = try DoraEngine.timeline(for: Self.data, definitions: DoraDefinitions(), asOf: F.at(10))
        #expect(timeline.deployments.map(\.key) == ["release:1", "release:2", "release:3", "release:4"])
        #expect(timeline.deployments.map(\.isBaseline) == [true, false, false, false])
        #expect(timeline.deployments.map { Set($0.firstDeployed.map(\.sha)) } == [["a", "b"], ["c", "d"], ["e"], []])
        #expect(timeline.deployments[1].firstDeployed.first { $0.sha == "c" }?.leadTimeSeconds == 172_800)
        #expect(timeline.incidents.map(\.number) == [2, 1, 5])
        #expect(timeline.incidents.map(\.attributedTo) == [nil, "release:2", "release:4"])
        #expect(timeline.incidents.map(\.closedAt) == [F.at(2), F.at(4, 10), nil])
    }
}

/// The release-on-tag worked example of `docs/dora.md` ("Which workflow runs count"); this test checks
/// every number there.
@Suite struct TagWorkflowWorkedExampleTests {
    typealias F = Fixtures

    static let data = RepositoryData(
        repository: "example/checkout",
        commits: [
            F.commit("a", [], 0), F.commit("b", ["a"], 1), F.commit("c", ["b"], 2), F.commit("d", ["c"], 3),
            F.commit("e", ["d"], 4.5),
        ],
        tags: [
            TagRecord(name: "v1.0", commitSha: "b"), TagRecord(name: "v1.1", commitSha: "d"),
            TagRecord(name: "v1.2", commitSha: "e"), TagRecord(name: "exp-1", commitSha: "f"),
        ],
        workflowRuns: [
            F.run(101, "Deploy", branch: "v1.0", sha: "b", conclusion: "success", updated: F.at(1, 6)),
            F.run(102, "Deploy", branch: "v1.1", sha: "d", conclusion: "failure", attempt: 1, updated: F.at(3, 2)),
            F.run(102, "Deploy", branch: "v1.1", sha: "d", conclusion: "success", attempt: 2, updated: F.at(3, 5)),
            F.run(103, "Deploy", branch: "feature/login", sha: "f", conclusion: "success", updated: F.at(2, 18)),
            F.run(104, "Deploy", branch: "exp-1", sha: "f", conclusion: "success", updated: F.at(2, 20)),
            F.run(105, "Deploy", branch: "main", sha: "d", conclusion: "timed_out", updated: F.at(4)),
            F.run(106, "Deploy", branch: "v1.2", sha: "e", conclusion: "success", updated: F.at(5)),
            F.run(107, "Deploy", branch: "v1.2", sha: "e", conclusion: "cancelled", updated: F.at(5, 1)),
        ])
    static let definitions = DoraDefinitions(deploymentSource: .workflow(names: ["Deploy"]))

    @Test func runsThatCountAndTheirDeployments() throws {
        let timeline = try DoraEngine.timeline(for: Self.data, definitions: Self.definitions, asOf: F.at(6))
        #expect(timeline.deployments.map(\.key) == ["run:101", "run:102", "run:106"])
        #expect(timeline.deployments.map(\.time) == [F.at(1, 6), F.at(3, 5), F.at(5)])
        #expect(timeline.failedAttempts.map(\.key) == ["run:105"])
        #expect(timeline.deployments.map { Set($0.firstDeployed.map(\.sha)) } == [["a", "b"], ["c", "d"], ["e"]])
        let selection = try #require(try DoraEngine.workflowRunSelection(for: Self.data, definitions: Self.definitions, asOf: F.at(6)))
        #expect(selection.completedRuns == 7)
        #expect(selection.countedRuns == 5)
        #expect(selection.excluded == [
            .init(headBranch: "exp-1", runs: 1, reason: .tagNotOnTrackedBranch),
            .init(headBranch: "feature/login", runs: 1, reason: .neitherTrackedBranchNorTag),
        ])
    }

    @Test func windowAllMatchesTheHandComputedNumbers() throws {
        let w = try F.window(Self.data, Self.definitions, asOf: F.at(6))
        #expect(w.start == F.at(1, 6))
        #expect(w.days == 4.75)
        #expect(w.deployments == 3)
        #expect(w.failedDeploymentAttempts == 1)
        #expect(w.leadTime == DurationStatistics(samples: 3, p50: 43_200, p75: 73_800, p90: 92_160, mean: 55_200))
        #expect(w.changeFailure == Ratio(numerator: 1, denominator: 4))
        #expect(w.failedDeploymentRecovery == DurationStatistics(samples: 1, p50: 86_400, p90: 86_400, mean: 86_400))
    }

    @Test func betweenTheAttemptsTheFailedFirstAttemptIsKnown() throws {
        let timeline = try DoraEngine.timeline(for: Self.data, definitions: Self.definitions, asOf: F.at(3, 4))
        #expect(timeline.deployments.map(\.key) == ["run:101"])
        #expect(timeline.failedAttempts.map(\.key) == ["run:102"])
    }
}
