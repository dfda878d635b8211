import Foundation
import GitHubSimulator
import Testing

/// The demo's team (`.steadyTeam`) against the tests' (`.standard`): what a newcomer sees first must look like a real
/// team, while the tests keep their dense data.
@Suite struct SimulatedTeamProfileTests {
    static let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
    /// The demo's incident rules.
    static func isIncident(_ issue: SimIssue) -> Bool {
        let labels = Set(issue.labels.map { $0.lowercased() })
        return !issue.isPullRequest && (labels.contains("incident") || labels.isSuperset(of: ["bug", "prod"]))
    }

    @Test func aSteadyTeamHasOnlyTheIncidentsBeingWorkedOnOpen() {
        let repository = SimulatedRepository.generated(
            owner: "demo", name: "webshop", seed: 1, commits: 3000, now: Self.now, profile: .steadyTeam)
        let incidents = repository.issues.filter(Self.isIncident)
        let open = incidents.filter { $0.state == "open" }
        // Resolved within 120 hours (and half an hour): open only while that is still ahead.
        #expect(open.allSatisfy { Self.now.timeIntervalSince($0.createdAt) <= 120 * 3600 + 1800 })
        #expect(open.count >= SimulatedTeamProfile.steadyTeam.incidentsOpenNow && open.count <= 4, "\(open.count) open")
        #expect(incidents.allSatisfy { $0.stateReason != "reopened" })
        // A deployment most days: a tag every 6 to 15 main-branch commits at about twelve commits a day.
        let span = Self.now.timeIntervalSince(repository.commits[0].committerDate) / 86_400
        #expect(Double(repository.releases.count) > span / 3, "\(repository.releases.count) releases in \(Int(span)) days")
        #expect(Double(incidents.count) < Double(repository.releases.count) / 2, "\(incidents.count) incidents")
    }

    @Test func theStandardProfileKeepsTheTestsDenseData() {
        let repository = SimulatedRepository.generated(owner: "demo", name: "webshop", seed: 1, commits: 3000, now: Self.now)
        let incidents = repository.issues.filter(Self.isIncident)
        #expect(incidents.filter { $0.state == "open" }.count > 10, "incidents left open for good")
        #expect(incidents.contains { $0.stateReason == "reopened" })
        #expect(Double(incidents.count) > Double(repository.releases.count), "more incidents than releases")
    }
}
