import Foundation
import Testing

@testable import Dora

/// The engine's alert incidents against a brute-force reference written from the spec's text (v1.3), over
/// random signal sets: no sorting sweep, but every pair of intervals compared and joined by union-find.
@Suite struct AlertReferenceTests {
    typealias A = AlertFixtures

    struct Expected: Equatable, CustomStringConvertible {
        var opened: Date
        var closed: Date?
        var alertNames: [String]
        var issues: [Int]
        var description: String { "[\(opened.timeIntervalSince1970), \(closed.map { "\($0.timeIntervalSince1970)" } ?? "open")) \(alertNames) \(issues)" }
    }

    /// Spec v1.3 read literally, quadratic.
    static func reference(
        records: [AlertSignalRecord], issues: [IssueRecord], repository: String, definitions d: DoraDefinitions, asOf: Date
    ) -> [Expected] {
        // Each part: start, end (nil = open), alert name or issue number.
        var parts: [(start: Date, end: Date?, name: String?, issue: Int?)] = []
        if d.incidentSource != .alerts {
            for issue in issues where !issue.isPullRequest && issue.labels.contains(where: { $0.lowercased() == "incident" }) {
                if issue.createdAt >= asOf { continue }
                if let closed = issue.closedAt, closed < asOf, issue.stateReason == "not_planned" { continue }
                let end: Date? = if let closed = issue.closedAt, closed < asOf { max(closed, issue.createdAt) } else { nil }
                parts.append((issue.createdAt, end, nil, issue.number))
            }
        }
        if d.incidentSource != .issues {
            // One signal per distinct (fingerprint, startsAt).
            var keys: [(String, Date)] = []
            for r in records where !keys.contains(where: { $0 == (r.fingerprint, r.startsAt) }) { keys.append((r.fingerprint, r.startsAt)) }
            for (fingerprint, start) in keys {
                let mine = records.filter { $0.fingerprint == fingerprint && $0.startsAt == start }
                let labels = mine[0].labels
                if start >= asOf { continue }
                let ends = mine.compactMap(\.endsAt)
                var end: Date? = nil
                if let latest = ends.max() {
                    if latest <= start { continue }
                    end = latest < asOf ? latest : nil
                }
                // Belonging: the repository label if present, else the service map.
                let belongs: Bool =
                    if let named = labels[d.alerts.repositoryLabel] { named.lowercased() == repository.lowercased() } else {
                        labels["service"].map { d.alerts.services.contains($0) } ?? false
                    }
                // Matchers by hand: every one must hold.
                let selected = d.alerts.matchers.allSatisfy { m in
                    let v = labels[m.name] ?? ""
                    switch m.op {
                    case .equal: return v == m.value
                    case .notEqual: return v != m.value
                    case .matches: return v.wholeMatch(of: try! Regex(m.value)) != nil
                    case .notMatches: return v.wholeMatch(of: try! Regex(m.value)) == nil
                    }
                }
                if belongs && selected { parts.append((start, end, labels["alertname"] ?? "", nil)) }
            }
        }
        // Union-find over all pairs: joined when they overlap, touch, or the gap is shorter than mergeGap.
        var parent = Array(parts.indices)
        func find(_ i: Int) -> Int { parent[i] == i ? i : find(parent[i]) }
        for i in parts.indices {
            for j in parts.indices where i < j {
                let (first, second) = parts[i].start <= parts[j].start ? (parts[i], parts[j]) : (parts[j], parts[i])
                let joined: Bool =
                    if let end = first.end { second.start.timeIntervalSince(end) < d.alerts.mergeGap || second.start <= end } else { true }
                if joined { parent[find(i)] = find(j) }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in parts.indices { groups[find(i), default: []].append(i) }
        return groups.values.map { members in
            let ps = members.map { parts[$0] }
            let open = ps.contains { $0.end == nil }
            return Expected(
                opened: ps.map(\.start).min()!, closed: open ? nil : ps.compactMap(\.end).max(),
                alertNames: Set(ps.compactMap(\.name)).sorted(), issues: ps.compactMap(\.issue).sorted())
        }.sorted { $0.opened < $1.opened }
    }

    @Test(arguments: 0..<200)
    func randomSignalSetsMatchTheReference(seed: Int) throws {
        var rng = SplitMix(seed: UInt64(seed))
        let sources: [IncidentSource] = [.alerts, .issuesAndAlerts]
        var d = DoraDefinitions()
        d.incidentSource = sources[Int(rng.next() % 2)]
        d.alerts = AlertDefinitions(
            matchers: rng.next() % 2 == 0 ? [] : try AlertMatcher.parse(#"{severity=~"crit.*|page"}"#),
            services: ["checkout"], mergeGap: [0, 60, 300, 900][Int(rng.next() % 4)])
        let repositories = [A.repository, "acme/other"]
        var records: [AlertSignalRecord] = []
        for _ in 0..<Int(rng.next() % 14) {
            let fingerprint = "fp\(rng.next() % 5)"
            let start = Double(rng.next() % 60) * 2
            let end: Double? = rng.next() % 4 == 0 ? nil : start + Double(rng.next() % 30) - 3
            var labels: [String: String] = ["severity": ["critical", "page", "info"][Int(rng.next() % 3)]]
            switch rng.next() % 4 {
            case 0: labels["repository"] = repositories[Int(rng.next() % 2)]
            case 1: labels["service"] = "checkout"
            case 2: labels["service"] = "search"
            default: break
            }
            let record = A.record(fingerprint, start, end, name: "N\(rng.next() % 3)", labels: labels)
            records.append(record)
            // Repeats of the same signal, some as resolutions.
            if rng.next() % 3 == 0 { records.append(A.record(fingerprint, start, rng.next() % 2 == 0 ? nil : start + 5, name: record.alertName, labels: labels)) }
        }
        var issues: [IssueRecord] = []
        for number in 1..<Int(1 + rng.next() % 4) {
            let start = Double(rng.next() % 120)
            let closed: Double? = rng.next() % 3 == 0 ? nil : start + Double(rng.next() % 40)
            issues.append(Fixtures.issue(number, A.at(start), closed: closed.map(A.at)))
        }
        let asOf = A.at(Double(rng.next() % 140))
        for repository in repositories {
            let expected = Self.reference(records: records, issues: issues, repository: repository, definitions: d, asOf: asOf)
            let actual = try A.incidents(records, issues: issues, d, asOf: asOf, repository: repository).map {
                Expected(opened: $0.openedAt, closed: $0.closedAt, alertNames: $0.alertNames, issues: $0.issueNumbers)
            }
            #expect(actual == expected, "seed \(seed) \(repository)")
        }
    }
}

/// A small deterministic generator (SplitMix64), so that each seed is one reproducible case.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
