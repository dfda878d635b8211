import Foundation
import Testing

@testable import Dora

@Suite struct WindowMetricTests {
    typealias F = Fixtures

    @Test func emptyRepositoryReportsNoDataNotZero() throws {
        let report = try F.report(RepositoryData(repository: "r"), windows: [.days(7), .all], asOf: F.at(10))
        #expect(!report.hasDeployments)
        for w in report.windows {
            #expect(w.deployments == 0)
            #expect(w.leadTime == .empty)
            #expect(w.timeToRestore == .empty)
            #expect(w.failedDeploymentRecovery == .empty)
            #expect(w.changeFailure.value == nil)
            #expect(w.rework.value == nil)
            #expect(w.levels.isEmpty)
        }
        #expect(report.windows[0].deploymentsPerDay == 0)
        #expect(report.windows[1].days == 0)
        #expect(report.windows[1].deploymentsPerDay == nil)
        #expect(report.windows[1].start == F.at(10))
    }

    @Test func failedAttemptsCountInChangeFailureRateAndRecoverAtTheNextSuccess() throws {
        // deployments source: success d1, failure d2, error d2+1h, success d3, failure d4 (never recovered).
        let data = RepositoryData(
            repository: "r", commits: F.linear([0]),
            deployments: [
                F.deployment(1, state: "success", at: F.at(1)), F.deployment(2, state: "failure", at: F.at(2)),
                F.deployment(3, state: "error", at: F.at(2, 1)), F.deployment(4, state: "success", at: F.at(3)),
                F.deployment(5, state: "failure", at: F.at(4)),
            ])
        let definitions = DoraDefinitions(deploymentSource: .deployments(environmentPattern: "^production$"))
        let w = try F.window(data, definitions, asOf: F.at(10))
        #expect(w.deployments == 2)
        #expect(w.failedDeploymentAttempts == 3)
        #expect(w.changeFailure == Ratio(numerator: 3, denominator: 5))
        #expect(w.failedDeploymentRecovery.samples == 2)
        #expect(w.failedDeploymentRecovery.p50 == (F.day + 23 * F.hour) / 2)
        let recent = try F.window(data, definitions, window: .days(7), asOf: F.at(10))  // [d3, d10)
        #expect(recent.changeFailure == Ratio(numerator: 1, denominator: 2))
        #expect(recent.failedDeploymentRecovery.samples == 0)
        #expect(recent.levels[.changeFailureRate] == .low)
    }

    @Test func reworkIsADeploymentWhileAnIncidentIsOpen() throws {
        let data = RepositoryData(
            repository: "r", commits: F.linear([0]),
            releases: [
                F.release(1, "v1", F.at(1), "c0"), F.release(2, "v2", F.at(2), "c0"), F.release(3, "v3", F.at(3), "c0"),
                F.release(4, "v4", F.at(4), "c0"), F.release(5, "v5", F.at(6), "c0"),
            ],
            issues: [
                F.issue(1, F.at(2), closed: F.at(3)),  // open at v2 (created_at <= t), closed at v3 (t < closed_at fails)
                F.issue(2, F.at(5)),  // still open at v5
            ])
        let w = try F.window(data, asOf: F.at(10))
        #expect(w.rework == Ratio(numerator: 2, denominator: 5))
    }

    @Test func incidentsCountInTheWindowOfTheirOpeningAndRestoreInTheWindowOfTheirClosing() throws {
        let data = RepositoryData(
            repository: "r", commits: F.linear([0]), releases: [F.release(1, "v1", F.at(1), "c0")],
            issues: [F.issue(1, F.at(2), closed: F.at(4)), F.issue(2, F.at(4), closed: F.at(4, 2))])
        let w = try F.window(data, window: .days(7), asOf: F.at(10))  // [d3, d10)
        #expect(w.incidents == 1)
        #expect(w.unattributedIncidents == 0)
        #expect(w.timeToRestore.samples == 2)
        #expect(w.timeToRestore.mean == (2 * F.day + 2 * F.hour) / 2)
        #expect(w.failedDeploymentRecovery.samples == 2)
        #expect(w.failedDeploymentRecovery.p50 == (3 * F.day + 3 * F.day + 2 * F.hour) / 2)
    }
}
