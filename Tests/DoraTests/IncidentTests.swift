import Foundation
import Testing

@testable import Dora

@Suite struct IncidentTests {
    typealias F = Fixtures
    // One deployment at d1 (baseline, enough for attribution).
    static let base = RepositoryData(
        repository: "r", commits: F.linear([0]), releases: [F.release(1, "v1", F.at(1), "c0")])

    static func timeline(_ issues: [IssueRecord], _ definitions: DoraDefinitions = DoraDefinitions(), asOf: Date = Fixtures.at(20))
        throws -> DeploymentTimeline
    {
        var data = base
        data.issues = issues
        return try DoraEngine.timeline(for: data, definitions: definitions, asOf: asOf)
    }

    struct RuleCase: Sendable, CustomStringConvertible {
        var rules: [[String]]
        var labels: [String]
        var incident: Bool
        var description: String { "\(rules) vs \(labels)" }
    }

    @Test(arguments: [
        RuleCase(rules: [["incident"]], labels: ["Incident"], incident: true),
        RuleCase(rules: [["INCIDENT"]], labels: ["incident", "p1"], incident: true),
        RuleCase(rules: [["bug", "prod"]], labels: ["bug"], incident: false),
        RuleCase(rules: [["bug", "prod"]], labels: ["Prod", "BUG"], incident: true),
        RuleCase(rules: [["bug&prod"]], labels: ["bug", "prod"], incident: true),
        RuleCase(rules: [["bug & prod"]], labels: ["bug"], incident: false),
        RuleCase(rules: [["incident"], ["bug", "prod"]], labels: ["bug", "prod"], incident: true),
        RuleCase(rules: [["incident"], ["bug", "prod"]], labels: ["incident"], incident: true),
        RuleCase(rules: [["incident"], ["bug", "prod"]], labels: ["prod"], incident: false),
        RuleCase(rules: [], labels: ["incident"], incident: false),
        RuleCase(rules: [[]], labels: ["incident"], incident: false),
    ])
    func labelRulesAreAndedWithinAndOredAcross(_ c: RuleCase) throws {
        let t = try Self.timeline([F.issue(1, F.at(2), labels: c.labels)], DoraDefinitions(incidentRules: c.rules))
        #expect(t.incidents.count == (c.incident ? 1 : 0))
    }

    @Test func pullRequestsAndNotPlannedAreNotIncidents() throws {
        let t = try Self.timeline([
            F.issue(1, F.at(2), pr: true),
            F.issue(2, F.at(2), closed: F.at(3), reason: "not_planned"),
            F.issue(3, F.at(2), closed: F.at(3), reason: "completed"),
            F.issue(4, F.at(2), closed: F.at(3), reason: "duplicate"),
        ])
        #expect(t.incidents.map(\.number) == [3, 4])
    }

    @Test func notPlannedAfterAsOfIsStillOpenAtAsOf() throws {
        let t = try Self.timeline([F.issue(2, F.at(2), closed: F.at(30), reason: "not_planned")])
        #expect(t.incidents.map(\.number) == [2])
        #expect(t.incidents[0].closedAt == nil)
    }

    @Test func reopenedIncidentCountsFromItsCurrentState() throws {
        // Reopened: open now (GitHub may keep the old closed_at); counts as open.
        let t = try Self.timeline([F.issue(1, F.at(2), closed: F.at(3), reason: "reopened", state: "open")])
        #expect(t.incidents[0].closedAt == nil)
        var data = Self.base
        data.issues = [F.issue(1, F.at(2), closed: F.at(3), reason: "reopened", state: "open")]
        let report = try F.report(data, asOf: F.at(20))
        #expect(report.openIncidents == 1)
        #expect(report.windows[0].timeToRestore.samples == 0)
    }

    @Test func issuesOpenedAtOrAfterAsOfAreIgnoredAndLaterClosingsAreOpen() throws {
        var data = Self.base
        data.issues = [F.issue(1, F.at(20)), F.issue(2, F.at(5), closed: F.at(20)), F.issue(3, F.at(5), closed: F.at(19))]
        let report = try F.report(data, asOf: F.at(20))
        #expect(report.openIncidents == 1)
        #expect(report.windows[0].incidents == 2)
        #expect(report.windows[0].timeToRestore.samples == 1)
        #expect(report.windows[0].timeToRestore.p50 == 14 * F.day)
    }

    struct AttributionCase: Sendable, CustomStringConvertible {
        var opened: Double  // seconds after the deployment at d1
        var attributed: Bool
        var description: String { "opened at +\(opened)s" }
    }

    @Test(arguments: [
        AttributionCase(opened: -1, attributed: false),
        AttributionCase(opened: 0, attributed: true),
        AttributionCase(opened: 7 * 86_400, attributed: true),
        AttributionCase(opened: 7 * 86_400 + 1, attributed: false),
    ])
    func attributionWindowIsInclusive(_ c: AttributionCase) throws {
        let opened = Date(timeInterval: c.opened, since: F.at(1))
        let t = try Self.timeline([F.issue(1, opened)])
        #expect(t.incidents[0].attributedTo == (c.attributed ? "release:1" : nil))
    }

    @Test func attributionGoesToTheLatestDeploymentBeforeOpening() throws {
        var data = Self.base
        data.releases.append(F.release(2, "v2", F.at(3), "c0"))
        data.issues = [F.issue(1, F.at(2)), F.issue(2, F.at(4)), F.issue(3, F.at(4, 1))]
        let t = try DoraEngine.timeline(
            for: data, definitions: DoraDefinitions(attributionWindow: 3_600), asOf: F.at(20))
        #expect(t.incidents.map(\.attributedTo) == [nil, nil, nil])
        let wide = try DoraEngine.timeline(for: data, definitions: DoraDefinitions(), asOf: F.at(20))
        #expect(wide.incidents.map(\.attributedTo) == ["release:1", "release:2", "release:2"])
        // A deployment with several incidents counts once in CFR.
        let w = try F.window(data, asOf: F.at(20))
        #expect(w.changeFailure == Ratio(numerator: 2, denominator: 2))
        #expect(w.attributedIncidents == 3)
    }
}
