import Foundation

extension ActivityGenerator {
    /// An issue opened at `created`: its labels (an incident, a bug, an enhancement, documentation or none), and
    /// when and how it was closed, as the team's `profile` has it.
    static func makeIssue(
        created: Double, now: Double, login: String, profile: SimulatedTeamProfile = .standard, rng: inout SplitMix64
    ) -> SimIssue {
        let roll = rng.unit()
        var labels: [String] = []
        let incident = roll < profile.incidentShare
        var productionBug = false
        if incident {
            labels.append(["incident", "Incident", "INCIDENT"][rng.int(0...2)])
            if rng.chance(0.7) { labels.append(rng.chance(0.5) ? "prod" : "Prod") }
            if rng.chance(0.4) { labels.append(rng.chance(0.5) ? "bug" : "Bug") }
        } else if roll < 0.45 {
            labels.append(rng.chance(0.5) ? "bug" : "Bug")
            if rng.chance(profile.productionBugShare) {
                labels.append("prod")
                productionBug = true
            }
        } else if roll < 0.7 {
            labels.append("enhancement")
        } else if roll < 0.82 {
            labels.append(rng.chance(0.8) ? "documentation" : "Documentation")
        }
        let title = incident ? "Production outage: \(CommitGenerator.message(&rng).lowercased())" : CommitGenerator.message(&rng)
        // Hours to days for incidents, up to two months for the rest (log-uniform).
        let resolves = profile.incidentsResolve && (incident || productionBug)
        let maxHours = incident || resolves ? 120.0 : 1440.0
        let closeAfter = 3600 * exp(rng.unit() * log(maxHours)) + rng.seconds(0...1800)
        var closedAt: Double? = created + closeAfter
        var state = "closed"
        var reason: String? = "completed"
        var lastChange = closedAt ?? created
        let fate = rng.unit()
        if closedAt! > now || (!resolves && fate < (incident ? 0.08 : 0.2)) {
            closedAt = nil
            state = "open"
            reason = nil
            lastChange = created
        } else if fate < (incident ? 0.13 : 0.35) {
            reason = "not_planned"
        } else if !resolves && fate < (incident ? 0.19 : 0.41) {
            let reopened = closedAt! + rng.seconds(600...86_400)
            if reopened <= now {
                closedAt = nil
                state = "open"
                reason = "reopened"
                lastChange = reopened
            }
        }
        let updated = min(now, lastChange + rng.seconds(0...86_400))
        return SimIssue(
            id: 0, number: 0, title: title, labels: labels, state: state, stateReason: reason,
            createdAt: Date(timeIntervalSince1970: created.rounded()),
            updatedAt: Date(timeIntervalSince1970: max(updated, lastChange).rounded(.up)),
            closedAt: closedAt.map { Date(timeIntervalSince1970: $0.rounded()) }, isPullRequest: false, userLogin: login)
    }

    /// An incident opened at `created` and still open at `now`: production is affected and someone is on it.
    static func openIncident(created: Double, now: Double, login: String, rng: inout SplitMix64) -> SimIssue {
        let opened = Date(timeIntervalSince1970: created.rounded())
        return SimIssue(
            id: 0, number: 0, title: "Production outage: \(CommitGenerator.message(&rng).lowercased())",
            labels: ["incident", "prod"], state: "open", stateReason: nil, createdAt: opened,
            updatedAt: Date(timeIntervalSince1970: min(now, created + rng.seconds(60...1800)).rounded()), closedAt: nil,
            isPullRequest: false, userLogin: login)
    }
}
