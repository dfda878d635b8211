import Foundation
import Testing

@testable import Dora

/// Group numbers (`docs/dora.md`, "Groups") against a brute-force reference built from the members' raw events,
/// and the worked example of the docs.
@Suite struct GroupTests {
    // MARK: Random member repositories

    /// SplitMix64: deterministic, so a failing seed can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    }

    static let asOf = Fixtures.at(200)

    /// Commits over 200 days with merges and a few clock-skewed ones, releases of some commits (some drafts, some
    /// of commits outside the synced graph), incidents with and without the label, CI runs on and off the branch.
    static func member(_ name: String, seed: UInt64) -> RepositoryData {
        var random = Generator(state: seed)
        var commits: [CommitRecord] = []
        var time = 0.0
        for index in 0..<random.int(40...120) {
            time += random.unit() * 3
            var parents = index == 0 ? [] : ["\(name)-\(index - 1)"]
            if index > 5, random.unit() < 0.15 { parents.append("\(name)-\(random.int(0...(index - 2)))") }
            let skew = random.unit() < 0.05 ? 5.0 : 0
            commits.append(Fixtures.commit("\(name)-\(index)", parents, min(time + skew, 199)))
        }
        var releases: [ReleaseRecord] = []
        for id in 0..<random.int(5...25) {
            let commit = commits[random.int(0...(commits.count - 1))]
            let published = commit.committedAt.addingTimeInterval(random.unit() * 10 * 86_400)
            let sha = random.unit() < 0.05 ? "\(name)-unknown-\(id)" : commit.sha
            releases.append(Fixtures.release(Int64(id), "\(name)-v\(id)", published, sha, draft: random.unit() < 0.1))
        }
        var issues: [IssueRecord] = []
        for number in 1...random.int(3...25) {
            let opened = Fixtures.at(random.unit() * 200)
            let closed = random.unit() < 0.8 ? opened.addingTimeInterval(random.unit() * 8 * 86_400) : nil
            let labels = random.unit() < 0.7 ? ["incident"] : ["question"]
            issues.append(Fixtures.issue(number, opened, closed: closed, labels: labels, pr: random.unit() < 0.1))
        }
        var runs: [WorkflowRunRecord] = []
        for id in 0..<random.int(10...60) {
            let started = Fixtures.at(random.unit() * 199)
            let conclusions = ["success", "success", "failure", "timed_out", "cancelled"]
            runs.append(
                Fixtures.run(
                    Int64(id), "CI", branch: random.unit() < 0.7 ? "main" : "feature", conclusion: conclusions[random.int(0...4)],
                    started: started, updated: started.addingTimeInterval(60 + random.unit() * 3_000)))
        }
        return RepositoryData(repository: name, commits: commits, releases: releases, issues: issues, workflowRuns: runs)
    }

    static let definitions = DoraDefinitions(ciWorkflows: ["CI"])

    // MARK: The reference: per repository with sets and loops, then the union, no engine code

    struct Reference {
        var deploymentTimes: [Double] = []
        var leadSamples: [Double] = []
        var skewed = 0
        var untracked = 0
        var failedChanges = 0
        var incidents = 0
        var attributed = 0
        var restore: [Double] = []
        var recovery: [Double] = []
        var rework = 0
        var ciDurations: [Double] = []
        var ciTracked = (success: 0, total: 0)
        var ciOther = (success: 0, total: 0)
        var ciRecovery: [Double] = []
    }

    /// One repository's events in `[start, asOf)`, straight from the definitions.
    static func reference(_ data: RepositoryData, start: Double, asOf: Double) -> Reference {
        var result = Reference()
        let known = data.commits.filter { $0.committedAt.timeIntervalSince1970 < asOf }
        let parents = Dictionary(uniqueKeysWithValues: known.map { ($0.sha, $0.parents) })
        let committed = Dictionary(uniqueKeysWithValues: known.map { ($0.sha, $0.committedAt.timeIntervalSince1970) })
        let deployments = data.releases
            .filter { !$0.draft && !$0.prerelease }
            .compactMap { release -> (time: Double, sha: String)? in
                guard let time = release.publishedAt?.timeIntervalSince1970, time < asOf, let sha = release.commitSha else { return nil }
                return (time, sha)
            }
            .sorted { ($0.time, $0.sha) < ($1.time, $1.sha) }
        let incidents = data.issues
            .filter { !$0.isPullRequest && $0.labels.contains("incident") && $0.createdAt.timeIntervalSince1970 < asOf }
            .map { issue -> (opened: Double, closed: Double?) in
                let closed = issue.closedAt.map(\.timeIntervalSince1970).flatMap { $0 < asOf ? $0 : nil }
                return (issue.createdAt.timeIntervalSince1970, closed)
            }
        // Attribution: the latest deployment at or before the opening, within 7 days.
        let attributedTo: [Int?] = incidents.map { incident in
            guard let index = deployments.lastIndex(where: { $0.time <= incident.opened }),
                incident.opened - deployments[index].time <= 7 * 86_400
            else { return nil }
            return index
        }
        var deployed = Set<String>()
        for (index, deployment) in deployments.enumerated() {
            var ancestors = Set<String>()
            var queue = parents[deployment.sha] == nil ? [] : [deployment.sha]
            while let sha = queue.popLast() {
                guard ancestors.insert(sha).inserted else { continue }
                queue.append(contentsOf: (parents[sha] ?? []).filter { parents[$0] != nil })
            }
            let first = ancestors.subtracting(deployed)
            deployed.formUnion(ancestors)
            guard deployment.time >= start else { continue }
            result.deploymentTimes.append(deployment.time)
            if parents[deployment.sha] == nil { result.untracked += 1 }
            if index > 0 {
                for sha in first {
                    let lead = deployment.time - committed[sha]!
                    if lead > 0 { result.leadSamples.append(lead) } else { result.skewed += 1 }
                }
            }
            if attributedTo.contains(index) { result.failedChanges += 1 }
            if incidents.contains(where: { $0.opened <= deployment.time && ($0.closed.map { deployment.time < $0 } ?? true) }) {
                result.rework += 1
            }
        }
        for (incident, attributed) in zip(incidents, attributedTo) {
            if incident.opened >= start {
                result.incidents += 1
                if attributed != nil { result.attributed += 1 }
            }
            if let closed = incident.closed, closed >= start {
                result.restore.append(closed - incident.opened)
                if let index = attributed { result.recovery.append(closed - deployments[index].time) }
            }
        }
        // CI: latest attempt of completed runs before asOf (each run has one attempt here).
        let runs = data.workflowRuns.filter { $0.updatedAt.timeIntervalSince1970 < asOf }
            .sorted { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
        var streak: Double?
        for run in runs {
            let time = run.updatedAt.timeIntervalSince1970
            let tracked = run.headBranch == "main"
            if tracked {
                if run.conclusion == "failure" || run.conclusion == "timed_out" {
                    if streak == nil { streak = time }
                } else if run.conclusion == "success", let began = streak {
                    if began >= start { result.ciRecovery.append(time - began) }
                    streak = nil
                }
            }
            guard time >= start else { continue }
            result.ciDurations.append(run.updatedAt.timeIntervalSince(run.runStartedAt!))
            guard ["success", "failure", "timed_out"].contains(run.conclusion) else { continue }
            let success = run.conclusion == "success" ? 1 : 0
            if tracked {
                result.ciTracked = (result.ciTracked.success + success, result.ciTracked.total + 1)
            } else {
                result.ciOther = (result.ciOther.success + success, result.ciOther.total + 1)
            }
        }
        return result
    }

    /// Linear interpolation between closest ranks, as `docs/dora.md` defines it.
    static func percentile(_ samples: [Double], _ q: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let h = Double(sorted.count - 1) * q
        let low = Int(h.rounded(.down))
        return low + 1 < sorted.count ? sorted[low] + (h - Double(low)) * (sorted[low + 1] - sorted[low]) : sorted[low]
    }

    // MARK: Tests

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func groupNumbersEqualTheBruteForceUnionOfTheMembersEvents(seed: UInt64) throws {
        let members = (0..<3).map { Self.member("acme/r\($0)", seed: seed &* 31 &+ UInt64($0)) }
        let windows: [DoraWindow] = [.days(7), .days(30), .days(90), .all]
        let report = try DoraEngine.groupReport(
            group: "team", members: members.map { GroupMember(data: $0, definitions: Self.definitions) }, windows: windows,
            asOf: Self.asOf, benchmark: .v2023)
        let asOf = Self.asOf.timeIntervalSince1970
        let firstDeployments = try members.compactMap { data in
            try DoraEngine.timeline(for: data, definitions: Self.definitions, asOf: Self.asOf).deployments.first?.time.timeIntervalSince1970
        }
        for (window, metrics) in zip(windows, report.windows) {
            let start = window.length.map { asOf - $0 } ?? firstDeployments.min() ?? asOf
            var union = Reference()
            for data in members {
                let one = Self.reference(data, start: start, asOf: asOf)
                union.deploymentTimes += one.deploymentTimes
                union.leadSamples += one.leadSamples
                union.skewed += one.skewed
                union.untracked += one.untracked
                union.failedChanges += one.failedChanges
                union.incidents += one.incidents
                union.attributed += one.attributed
                union.restore += one.restore
                union.recovery += one.recovery
                union.rework += one.rework
                union.ciDurations += one.ciDurations
                union.ciTracked = (union.ciTracked.success + one.ciTracked.success, union.ciTracked.total + one.ciTracked.total)
                union.ciOther = (union.ciOther.success + one.ciOther.success, union.ciOther.total + one.ciOther.total)
                union.ciRecovery += one.ciRecovery
            }
            let label = "seed \(seed), window \(window.name)"
            #expect(metrics.start.timeIntervalSince1970 == start, "\(label)")
            #expect(metrics.deployments == union.deploymentTimes.count, "\(label)")
            #expect(metrics.deploymentDays == Set(union.deploymentTimes.map { ($0 / 86_400).rounded(.down) }).count, "\(label)")
            #expect(metrics.leadTime.samples == union.leadSamples.count, "\(label)")
            #expect(metrics.leadTime.p50 == Self.percentile(union.leadSamples, 0.5), "\(label)")
            #expect(metrics.leadTime.p75 == Self.percentile(union.leadSamples, 0.75), "\(label)")
            #expect(metrics.leadTime.p90 == Self.percentile(union.leadSamples, 0.9), "\(label)")
            #expect(metrics.skewedCommits == union.skewed && metrics.untrackedDeployments == union.untracked, "\(label)")
            #expect(metrics.changeFailure == Ratio(numerator: union.failedChanges, denominator: union.deploymentTimes.count), "\(label)")
            #expect(metrics.incidents == union.incidents && metrics.attributedIncidents == union.attributed, "\(label)")
            #expect(metrics.timeToRestore.samples == union.restore.count, "\(label)")
            #expect(metrics.timeToRestore.p50 == Self.percentile(union.restore, 0.5), "\(label)")
            #expect(metrics.failedDeploymentRecovery.p90 == Self.percentile(union.recovery, 0.9), "\(label)")
            #expect(metrics.rework == Ratio(numerator: union.rework, denominator: union.deploymentTimes.count), "\(label)")
            let ci = try #require(metrics.ci.first)
            #expect(ci.duration.samples == union.ciDurations.count, "\(label)")
            #expect(ci.duration.p95 == Self.percentile(union.ciDurations, 0.95), "\(label)")
            #expect(ci.trackedBranchSuccess == Ratio(numerator: union.ciTracked.success, denominator: union.ciTracked.total), "\(label)")
            #expect(ci.otherBranchesSuccess == Ratio(numerator: union.ciOther.success, denominator: union.ciOther.total), "\(label)")
            #expect(ci.recovery.samples == union.ciRecovery.count, "\(label)")
        }
        #expect(report.windows.last!.deployments > 10, "the seeds make groups with real activity")
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func aGroupOfOneRepositoryIsThatRepository(seed: UInt64) throws {
        let data = Self.member("acme/solo", seed: seed)
        let windows: [DoraWindow] = [.days(30), .days(90), .all]
        let alone = try DoraEngine.report(for: data, definitions: Self.definitions, windows: windows, asOf: Self.asOf)
        let group = try DoraEngine.groupReport(
            group: "solo", members: [GroupMember(data: data, definitions: Self.definitions)], windows: windows, asOf: Self.asOf,
            benchmark: .v2023)
        #expect(group.windows == alone.windows)
        #expect(group.openIncidents == alone.openIncidents && group.hasDeployments == alone.hasDeployments)
    }

    /// The worked example of `docs/dora.md` ("Groups"): the group's p50 is not the mean or the median of the
    /// members' p50s, and its CFR is not the mean of their CFRs.
    @Test func theWorkedExampleOfTheDocs() throws {
        // api: baseline at day 1, then day 10 deploys c1 (day 9) and c2 (day 9.5): samples 1 d and 0.5 d.
        let api = RepositoryData(
            repository: "acme/api", commits: Fixtures.linear([0, 9, 9.5], prefix: "a"),
            releases: [Fixtures.release(1, "v1", Fixtures.at(1), "a0"), Fixtures.release(2, "v2", Fixtures.at(10), "a2")],
            issues: [Fixtures.issue(1, Fixtures.at(10, 12), closed: Fixtures.at(11))])
        // web: baseline at day 2, then day 20 deploys w1 (day 12), w2 (day 16), w3 (day 19): samples 8, 4, 1 d.
        let web = RepositoryData(
            repository: "acme/web", commits: Fixtures.linear([0, 12, 16, 19], prefix: "w"),
            releases: [
                Fixtures.release(1, "v1", Fixtures.at(2), "w0"), Fixtures.release(2, "v2", Fixtures.at(20), "w3"),
                Fixtures.release(3, "v3", Fixtures.at(25), "w3"),
            ])
        let definitions = DoraDefinitions()
        let asOf = Fixtures.at(30)
        let windows: [DoraWindow] = [.days(27)]  // [day 3, day 30): both baselines are before it
        let apiAlone = try DoraEngine.report(for: api, definitions: definitions, windows: windows, asOf: asOf).windows[0]
        let webAlone = try DoraEngine.report(for: web, definitions: definitions, windows: windows, asOf: asOf).windows[0]
        let group = try DoraEngine.groupReport(
            group: "payments", members: [GroupMember(data: api, definitions: definitions), GroupMember(data: web, definitions: definitions)],
            windows: windows, asOf: asOf, benchmark: .v2023
        ).windows[0]
        let day = 86_400.0
        #expect(apiAlone.leadTime.p50 == 0.75 * day)  // samples 0.5 d, 1 d
        #expect(webAlone.leadTime.p50 == 4 * day)  // samples 1 d, 4 d, 8 d
        #expect(group.leadTime.samples == 5)
        #expect(group.leadTime.p50 == 1 * day)  // 0.5, 1, 1, 4, 8: not (0.75 + 4) / 2
        #expect(group.leadTime.mean == 14.5 / 5 * day)
        #expect(apiAlone.changeFailure.value == 1.0 && webAlone.changeFailure.value == 0.0)  // api 1 of 1, web 0 of 2
        #expect(group.changeFailure == Ratio(numerator: 1, denominator: 3))  // not (100% + 0%) / 2
        #expect(group.deployments == 3 && group.deploymentDays == 3)
        #expect(group.timeToRestore.p50 == 0.5 * day)
        #expect(group.levels[.changeFailureRate] == .low)
    }

    @Test func reportJSONAndTableCarryTheGroups() throws {
        let members = (0..<2).map { Self.member("acme/r\($0)", seed: 40 &+ UInt64($0)) }
        let windows: [DoraWindow] = [.days(30), .all]
        let reports = try members.map { try DoraEngine.report(for: $0, definitions: Self.definitions, windows: windows, asOf: Self.asOf) }
        let group = try DoraEngine.groupReport(
            group: "payments", members: members.map { GroupMember(data: $0, definitions: Self.definitions) }, windows: windows,
            asOf: Self.asOf, benchmark: .v2023)
        let json = try #require(
            try JSONSerialization.jsonObject(with: ReportJSON.encode(reports, groups: [group])) as? [String: Any])
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(groups.count == 1)
        #expect(groups[0]["group"] as? String == "payments")
        #expect(groups[0]["repositories"] as? [String] == ["acme/r0", "acme/r1"])
        let all = try #require((groups[0]["windows"] as? [String: Any])?["all"] as? [String: Any])
        let frequency = try #require(all["deploymentFrequency"] as? [String: Any])
        #expect(frequency["deployments"] as? Int == group.windows[1].deployments)
        #expect(group.windows[1].deployments == reports.map { $0.windows[1].deployments }.reduce(0, +), "all: every deployment of every member")
        let withoutGroups = try #require(try JSONSerialization.jsonObject(with: ReportJSON.encode(reports)) as? [String: Any])
        #expect((withoutGroups["groups"] as? [Any])?.isEmpty == true)

        let table = ReportTable.render(reports, groups: [group])
        #expect(table.contains("group payments  (as of "))
        #expect(table.contains("members: acme/r0, acme/r1"))
        #expect(table.components(separatedBy: "lead time p50").count == 4, "two repositories and one group")
    }
}
