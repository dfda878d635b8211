import Foundation
import Testing

@testable import Dora

/// The rules of spec v1.3, "Incidents from alerts", one by one.
@Suite struct AlertIncidentTests {
    typealias A = AlertFixtures

    @Test func signalsWithinTheMergeGapAreOneIncident() throws {
        let incidents = try A.incidents([A.record("a", 0, 10), A.record("b", 14, 20, name: "Latency")], A.definitions())
        #expect(incidents.count == 1)
        #expect(incidents[0].openedAt == A.at(0) && incidents[0].closedAt == A.at(20))
        #expect(incidents[0].alertNames == ["HighErrorRate", "Latency"])
        #expect(incidents[0].origin == .alert && incidents[0].issueNumbers.isEmpty)
    }

    @Test(arguments: [5.0, 6.0, 60.0])
    func aGapOfAtLeastTheMergeGapSeparatesIncidents(gapMinutes: Double) throws {
        let incidents = try A.incidents([A.record("a", 0, 10), A.record("a", 10 + gapMinutes, 30 + gapMinutes)], A.definitions())
        #expect(incidents.map(\.openedAt) == [A.at(0), A.at(10 + gapMinutes)])
        #expect(incidents.map(\.closedAt) == [A.at(10), A.at(30 + gapMinutes)])
    }

    @Test func touchingIntervalsAreOneEvenWithoutAMergeGap() throws {
        let incidents = try A.incidents([A.record("a", 0, 10), A.record("b", 10, 20)], A.definitions(mergeGap: 0))
        #expect(incidents.count == 1)
        #expect(incidents[0].closedAt == A.at(20))
    }

    @Test func aFlappingAlertIsOneIncident() throws {
        // Fires for 2 minutes, quiet for 1, twelve times: one fingerprint, twelve startsAt.
        let records = (0..<12).map { A.record("flap", Double($0) * 3, Double($0) * 3 + 2) }
        let incidents = try A.incidents(records, A.definitions())
        #expect(incidents.count == 1)
        #expect(incidents[0].openedAt == A.at(0) && incidents[0].closedAt == A.at(35))
    }

    @Test func twentyAlertsOfOneOutageAreOneIncident() throws {
        let records = (0..<20).map { A.record("fp\($0)", Double($0 % 7), 30 + Double($0), name: "Alert\($0 % 4)", url: "http://prom/graph?\($0 % 2)") }
        let incidents = try A.incidents(records, A.definitions())
        #expect(incidents.count == 1)
        #expect(incidents[0].openedAt == A.at(0) && incidents[0].closedAt == A.at(49))
        #expect(incidents[0].alertNames == ["Alert0", "Alert1", "Alert2", "Alert3"])
        #expect(incidents[0].generatorURLs == ["http://prom/graph?0", "http://prom/graph?1"])
    }

    @Test func aSignalWithoutResolutionIsOpenAtAsOf() throws {
        var d = try A.definitions()
        d.alerts.mergeGap = 0
        let data = A.data([A.record("a", 100), A.record("b", 0, 10), A.record("c", 200, 210)])
        let report = try DoraEngine.report(for: data, definitions: d, windows: [.days(30)], asOf: Fixtures.at(20))
        #expect(report.openIncidents == 1)
        // An open signal reaches to infinity: the later signal is part of its incident.
        #expect(report.incidents.map(\.closedAt) == [A.at(10), nil])
        #expect(report.incidents.map(\.openedAt) == [A.at(0), A.at(100)])
    }

    @Test func signalsStartingAtOrAfterAsOfDoNotExistYet() throws {
        let asOf = A.at(60)
        let incidents = try A.incidents([A.record("a", 60, 70), A.record("b", 61), A.record("c", 0, 10)], A.definitions(), asOf: asOf)
        #expect(incidents.map(\.openedAt) == [A.at(0)])
    }

    @Test func aSignalResolvedAtOrAfterAsOfIsOpenAtAsOf() throws {
        let d = try A.definitions()
        #expect(try A.incidents([A.record("a", 0, 30)], d, asOf: A.at(30))[0].closedAt == nil)
        #expect(try A.incidents([A.record("a", 0, 30)], d, asOf: A.at(31))[0].closedAt == A.at(30))
    }

    @Test func recordsOfOneSignalAreOneSignalResolvedAtTheLatestEnd() throws {
        // Repeats, a resolution before its firing, a resolution twice with different ends.
        let records = [A.record("a", 0, 20), A.record("a", 0), A.record("a", 0, 25), A.record("a", 0), A.record("a", 0, 20)]
        let incidents = try A.incidents(records, A.definitions(mergeGap: 0))
        #expect(incidents.count == 1)
        #expect(incidents[0].closedAt == A.at(25))
    }

    @Test func aSignalEndingNotAfterItsStartIsIgnored() throws {
        #expect(try A.incidents([A.record("a", 10, 10), A.record("b", 10, 5)], A.definitions()).isEmpty)
    }

    @Test func issuesAndAlertsOverlappingAreOneIncident() throws {
        let issue = Fixtures.issue(7, A.at(30), closed: A.at(90))
        let records = [A.record("a", 20, 40), A.record("b", 200, 210)]
        let both = try A.incidents(records, issues: [issue], A.definitions(.issuesAndAlerts))
        #expect(both.map(\.origin) == [.issueAndAlert, .alert])
        #expect(both[0].openedAt == A.at(20) && both[0].closedAt == A.at(90))
        #expect(both[0].number == 7 && both[0].issueNumbers == [7])
        let issues = try A.incidents(records, issues: [issue], A.definitions(.issues))
        #expect(issues.map(\.origin) == [.issue] && issues[0].openedAt == A.at(30))
        let alerts = try A.incidents(records, issues: [issue], A.definitions(.alerts))
        #expect(alerts.map(\.origin) == [.alert, .alert])
    }

    @Test func theServiceMapPutsOneSignalInTwoRepositories() throws {
        let d = try A.definitions(services: ["checkout", "cart"])
        let signal = A.record("s", 0, 10, labels: ["service": "checkout"])
        for repository in ["acme/shop", "acme/payments"] {
            #expect(try A.incidents([signal], d, repository: repository).count == 1)
        }
        #expect(try A.incidents([signal], A.definitions(services: ["search"])).isEmpty)
    }

    @Test func theRepositoryLabelDecidesWheneverPresent() throws {
        let d = try A.definitions(services: ["checkout"])
        let elsewhere = A.record("s", 0, 10, labels: ["repository": "acme/other", "service": "checkout"])
        #expect(try A.incidents([elsewhere], d).isEmpty)
        let here = A.record("t", 0, 10, labels: ["repository": "ACME/Shop", "service": "search"])
        #expect(try A.incidents([here], d).count == 1)
    }

    @Test func unmatchedSignalsAreCountedAndOtherwiseIgnored() throws {
        let records = [
            A.record("a", 0, 10), A.record("b", 0, 10, labels: ["service": "checkout"]),
            A.record("c", 0, 10, labels: ["repository": "acme/unknown"]), A.record("d", 0, 10, labels: ["team": "x"]),
        ]
        let repositories = [(repository: "acme/shop", alerts: AlertDefinitions(services: ["checkout"]))]
        let unmatched = DoraEngine.unmatchedAlertSignals(records, repositories: repositories, asOf: Fixtures.at(20))
        #expect(unmatched.map(\.fingerprint) == ["c", "d"])
    }

    @Test func matchersSelectTheAlertsThatAreIncidents() throws {
        let records = [
            A.record("a", 0, 10, labels: ["repository": A.repository, "severity": "critical"]),
            A.record("b", 100, 110, labels: ["repository": A.repository, "severity": "crit"]),
            A.record("c", 200, 210, labels: ["repository": A.repository, "severity": "page", "team": "x"]),
            A.record("d", 300, 310, labels: ["repository": A.repository, "severity": "page"]),
        ]
        let d = try A.definitions(matchers: #"{severity=~"critical|page", team!="x"}"#)
        #expect(try A.incidents(records, d).map(\.openedAt) == [A.at(0), A.at(300)])
    }

    @Test func alertIncidentsDriveChangeFailureAndTimeToRestore() throws {
        let data = A.data([A.record("a", 0, 45)])
        let report = try DoraEngine.report(for: data, definitions: A.definitions(), windows: [.days(30)], asOf: Fixtures.at(20))
        let window = try #require(report.windows.first)
        #expect(window.changeFailure.numerator == 1 && window.changeFailure.denominator == 1)
        #expect(abs((window.timeToRestore.p50 ?? 0) - 45 * 60) < 1e-6)
        #expect(report.incidents[0].attributedTo != nil)
    }

    @Test func windowsBeforeTheAlertRecordAreIncomplete() throws {
        let d = try A.definitions()
        let windows: [DoraWindow] = [.days(7), .days(30)]
        func reasons(_ start: Date?) throws -> [IncompleteWindow.Reason?] {
            var data = A.data([A.record("a", 0, 45)])
            data.alertRecordStart = start
            return try DoraEngine.report(for: data, definitions: d, windows: windows, asOf: Fixtures.at(20)).windowResults.map {
                if case .incomplete(let w) = $0 { return w.reason }
                return nil
            }
        }
        #expect(try reasons(nil) == [.alertRecord, .alertRecord])
        #expect(try reasons(Fixtures.at(10)) == [nil, .alertRecord])
        // The incident opened at day 2 is resolved in no 7-day window; the 30-day one starts before day 2.
        #expect(try reasons(Fixtures.at(2)) == [nil, .alertRecord])
        #expect(try reasons(Fixtures.at(-20)) == [nil, nil])
        // Issues alone never look at the alert record.
        var issues = d
        issues.incidentSource = .issues
        var data = A.data([])
        data.alertRecordStart = nil
        #expect(try DoraEngine.report(for: data, definitions: issues, windows: windows, asOf: Fixtures.at(20)).windows.count == 2)
    }
}
