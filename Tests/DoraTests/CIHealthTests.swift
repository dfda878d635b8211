import Foundation
import Testing

@testable import Dora

@Suite struct CIHealthTests {
    typealias F = Fixtures

    static let runs = [
        F.run(1, "ci", conclusion: "success", started: F.at(1), updated: F.at(1, 1)),  // 1 h
        F.run(2, "ci", conclusion: "failure", started: F.at(2), updated: F.at(2, 2)),  // streak 1 starts d2+2h
        F.run(3, "ci", conclusion: "cancelled", started: F.at(2, 3), updated: F.at(2, 4)),
        F.run(4, "ci", conclusion: "timed_out", started: F.at(2, 5), updated: F.at(2, 8)),
        F.run(5, "ci", conclusion: "success", started: F.at(3), updated: F.at(3, 2)),  // recovers: 1 d
        F.run(6, "ci", branch: "feature", conclusion: "failure", started: F.at(4), updated: F.at(4, 1)),
        F.run(7, "ci", branch: "feature", conclusion: "success", started: F.at(4, 2), updated: F.at(4, 3)),
        F.run(8, "ci", conclusion: "failure", started: F.at(5), updated: F.at(5, 1)),  // streak 2: never recovered
        F.run(9, "ci", conclusion: "failure", attempt: 1, started: F.at(6), updated: F.at(6, 1)),
        F.run(9, "ci", conclusion: "success", attempt: 2, started: F.at(6, 2), updated: F.at(6, 4)),  // re-run
        F.run(10, "ci", status: "in_progress", conclusion: nil, started: F.at(7), updated: F.at(7)),
        F.run(11, "other", conclusion: "failure", started: F.at(7), updated: F.at(7, 1)),
    ]

    @Test func ciHealthPerWorkflow() throws {
        let data = RepositoryData(repository: "r", workflowRuns: Self.runs)
        let w = try F.window(data, DoraDefinitions(ciWorkflows: ["ci"]), window: .days(10), asOf: F.at(10))
        let ci = try #require(w.ci.first)
        #expect(ci.workflow == "ci")
        // Durations (h): 1, 2, 1, 3, 2, 1, 1, 1, 2 -> sorted 1,1,1,1,1,2,2,2,3
        #expect(ci.duration.samples == 9)
        #expect(ci.duration.p50 == F.hour)
        #expect(abs((ci.duration.p95 ?? 0) - 2.6 * F.hour) < 1e-6)
        // Tracked: success 1, 5, 9 of (1, 2, 4, 5, 8, 9); other: 1 of 2.
        #expect(ci.trackedBranchSuccess == Ratio(numerator: 3, denominator: 6))
        #expect(ci.otherBranchesSuccess == Ratio(numerator: 1, denominator: 2))
        // Streak 1: d2+2h -> d3+2h = 1 d; streak 2 (d5+1h) recovered by run 9 at d6+4h = 1 d 3 h.
        #expect(ci.recovery.samples == 2)
        #expect(ci.recovery.p50 == (2 * F.day + 3 * F.hour) / 2)
    }

    @Test func recoverySampleBelongsToTheWindowOfTheFirstFailureAndUnrecoveredStreaksYieldNothing() throws {
        let data = RepositoryData(repository: "r", workflowRuns: Self.runs)
        // asOf d6+3h: run 9's re-run is not complete yet, its attempt 1 (failure) is the latest known.
        let w = try F.window(data, DoraDefinitions(ciWorkflows: ["ci"]), window: .days(4), asOf: F.at(6, 3))  // [d2+3h, …)
        let ci = try #require(w.ci.first)
        #expect(ci.recovery.samples == 0)  // streak 1 started d2+2h (outside), streak 2 not recovered
        #expect(ci.trackedBranchSuccess == Ratio(numerator: 1, denominator: 4))
    }
}
