import Foundation

@testable import Dora

/// Builders for the alert cases. Times are minutes after day 2 of `Fixtures` (a deployment is at day 1).
enum AlertFixtures {
    static let repository = "acme/shop"

    static func at(_ minutes: Double) -> Date { Fixtures.at(2).addingTimeInterval(minutes * 60) }

    static func record(
        _ fingerprint: String, _ start: Double, _ end: Double? = nil, name: String = "HighErrorRate",
        labels: [String: String] = ["repository": repository], url: String? = nil
    ) -> AlertSignalRecord {
        var all = labels
        all["alertname"] = name
        return AlertSignalRecord(fingerprint: fingerprint, startsAt: at(start), endsAt: end.map(at), labels: all, generatorURL: url)
    }

    static func definitions(
        _ source: IncidentSource = .alerts, matchers: String = "{}", services: [String] = [], mergeGap: Double = 300
    ) throws -> DoraDefinitions {
        var d = DoraDefinitions()
        d.incidentSource = source
        d.alerts = AlertDefinitions(matchers: try AlertMatcher.parse(matchers), services: services, mergeGap: mergeGap)
        return d
    }

    static func data(
        _ records: [AlertSignalRecord], issues: [IssueRecord] = [], repository: String = repository, recordStart: Date? = Fixtures.at(-60)
    ) -> RepositoryData {
        var data = RepositoryData(
            repository: repository, commits: Fixtures.linear([0]), releases: [Fixtures.release(1, "v1", Fixtures.at(1), "c0")],
            issues: issues)
        data.alertSignals = records
        data.alertRecordStart = recordStart
        return data
    }

    static func incidents(
        _ records: [AlertSignalRecord], issues: [IssueRecord] = [], _ definitions: DoraDefinitions, asOf: Date = Fixtures.at(20),
        repository: String = repository
    ) throws -> [DeploymentTimeline.Incident] {
        try DoraEngine.timeline(for: data(records, issues: issues, repository: repository), definitions: definitions, asOf: asOf).incidents
    }
}
