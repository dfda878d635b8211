import Foundation
import Testing

@testable import Dora

/// Spec v1.2 "Coverage" as a property: a history truncated at `F` the way a progressive sync leaves it (every commit
/// committed, release published, issue updated and run completed at or after `F`, every issue open now; of the
/// older ones, some) never reports a number that differs from the whole history's. Every window it marks
/// complete equals the full-history window exactly.
@Suite struct CoverageTruncationTests {
    typealias Generator = GroupTests.Generator

    /// What a progressive sync may hold at `from` (synced at `now`): everything dated at or after it, and of the older
    /// items those `keepOlder` picks.
    static func truncate(
        _ data: RepositoryData, from: Date, keepOlder: (String) -> Bool = { _ in false }
    ) -> RepositoryData {
        var partial = data
        partial.commits = data.commits.filter { $0.committedAt >= from || keepOlder($0.sha) }
        partial.releases = data.releases.filter { ($0.publishedAt ?? .distantFuture) >= from || keepOlder("release \($0.id)") }
        partial.issues = data.issues.filter {
            // Updated at or after `from`: opened then, or closed then (closing updates it); open now.
            $0.state == "open" || $0.createdAt >= from || ($0.closedAt ?? .distantFuture) >= from || keepOlder("issue \($0.number)")
        }
        partial.workflowRuns = data.workflowRuns.filter { $0.updatedAt >= from || keepOlder("run \($0.id)") }
        partial.coverage = .partial(from: from)
        return partial
    }

    struct Tally {
        var complete = 0
        var incomplete = 0
        var reasons: [String: Int] = [:]
    }

    /// Every window of `partial` is either incomplete (no numbers) or exactly the full history's.
    static func compare(
        full: RepositoryData, partial: RepositoryData, definitions: DoraDefinitions, windows: [DoraWindow], asOf: Date,
        label: String, tally: inout Tally
    ) throws {
        let truth = try DoraEngine.report(for: full, definitions: definitions, windows: windows, asOf: asOf)
        let report = try DoraEngine.report(for: partial, definitions: definitions, windows: windows, asOf: asOf)
        #expect(report.windowResults.map(\.window) == windows)
        for (result, expected) in zip(report.windowResults, truth.windowResults) {
            if let metrics = result.metrics {
                tally.complete += 1
                #expect(metrics == expected.metrics, "\(label), window \(result.window.name)")
            } else {
                tally.incomplete += 1
                tally.reasons[result.incomplete?.reason.rawValue ?? "?", default: 0] += 1
            }
        }
    }

    // MARK: Random histories

    /// Commits over 200 days with merges of older branches (no clock skew: `CoverageCheck` takes commit dates at their
    /// word), releases of some commits a little after them, incidents, CI runs on and off the branch.
    static func history(_ name: String, seed: UInt64) -> RepositoryData {
        var random = Generator(state: seed)
        var commits: [CommitRecord] = []
        var time = 0.0
        for index in 0..<random.int(60...160) {
            time += random.unit() * 2.5
            var parents = index == 0 ? [] : ["\(name)-\(index - 1)"]
            if index > 5, random.unit() < 0.15 { parents.append("\(name)-\(random.int(max(0, index - 15)...(index - 2)))") }
            commits.append(Fixtures.commit("\(name)-\(index)", parents, min(time, 199)))
        }
        var releases: [ReleaseRecord] = []
        for id in 0..<random.int(10...40) {
            let commit = commits[random.int(0...(commits.count - 1))]
            let published = commit.committedAt.addingTimeInterval(random.unit() * 6 * 86_400)
            releases.append(Fixtures.release(Int64(id), "\(name)-v\(id)", published, commit.sha))
        }
        var issues: [IssueRecord] = []
        for number in 1...random.int(5...30) {
            let opened = Fixtures.at(random.unit() * 200)
            let closed = random.unit() < 0.8 ? opened.addingTimeInterval(random.unit() * 12 * 86_400) : nil
            issues.append(Fixtures.issue(number, opened, closed: closed, labels: random.unit() < 0.8 ? ["incident"] : ["question"]))
        }
        var runs: [WorkflowRunRecord] = []
        for id in 0..<random.int(20...80) {
            let started = Fixtures.at(random.unit() * 199)
            let conclusions = ["success", "success", "failure", "timed_out", "cancelled"]
            runs.append(
                Fixtures.run(
                    Int64(id), "CI", branch: random.unit() < 0.7 ? "main" : "feature", conclusion: conclusions[random.int(0...4)],
                    started: started, updated: started.addingTimeInterval(60 + random.unit() * 3_000)))
        }
        return RepositoryData(repository: name, commits: commits, releases: releases, issues: issues, workflowRuns: runs)
    }

    static let windows: [DoraWindow] = [.days(3), .days(7), .days(14), .days(30), .days(60), .days(90), .all]

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as [UInt64])
    func everyCompleteWindowOfATruncatedHistoryIsTheWholeHistorysNumber(seed: UInt64) throws {
        let full = Self.history("acme/r\(seed)", seed: seed)
        var tally = Tally()
        for attribution in [86_400.0, 3 * 86_400.0] as [TimeInterval] {
            let definitions = DoraDefinitions(attributionWindow: attribution, ciWorkflows: ["CI"])
            for from in [40.0, 100, 150] {
                var random = Generator(state: seed &* 7 &+ UInt64(from))
                let older = Set((full.commits.map(\.sha) + full.releases.map { "release \($0.id)" }).filter { _ in random.unit() < 0.3 })
                let partial = Self.truncate(full, from: Fixtures.at(from)) { older.contains($0) }
                for asOf in [160.0, 200] {
                    try Self.compare(
                        full: full, partial: partial, definitions: definitions, windows: Self.windows, asOf: Fixtures.at(asOf),
                        label: "seed \(seed), from day \(from), as of day \(asOf), attribution \(attribution)", tally: &tally)
                }
            }
        }
        #expect(tally.complete >= 10, "the seeds leave windows the synced history covers")
        #expect(tally.incomplete >= 10, "and windows it does not")
    }

    @Test(arguments: [21, 22, 23, 24] as [UInt64])
    func everyCompleteGroupWindowIsTheWholeHistorysNumber(seed: UInt64) throws {
        let members = (0..<3).map { Self.history("acme/g\($0)", seed: seed &* 13 &+ UInt64($0)) }
        let definitions = DoraDefinitions(attributionWindow: 2 * 86_400, ciWorkflows: ["CI"])
        // One member complete, the others synced from different days.
        // Synced from 40 % and 60 % of their histories.
        func from(_ data: RepositoryData, _ fraction: Double) -> Date {
            Fixtures.at((data.commits.last?.committedAt.timeIntervalSince(Fixtures.at(0)) ?? 0) / 86_400 * fraction)
        }
        let froms = [from(members[1], 0.4), from(members[2], 0.6)]
        let partial = [members[0], Self.truncate(members[1], from: froms[0]), Self.truncate(members[2], from: froms[1])]
        // As of a day after the members' last commit.
        let lastCommit = members.compactMap { $0.commits.last?.committedAt }.max()
        let asOf = try #require(lastCommit).addingTimeInterval(86_400)
        func group(_ data: [RepositoryData]) throws -> GroupReport {
            try DoraEngine.groupReport(
                group: "team", members: data.map { GroupMember(data: $0, definitions: definitions) }, windows: Self.windows,
                asOf: asOf, benchmark: .v2023)
        }
        let truth = try group(members)
        let report = try group(partial)
        #expect(report.coverage == .partial(from: froms.max()!))
        var complete = 0
        for (index, (result, expected)) in zip(report.windowResults, truth.windowResults).enumerated() {
            // Complete for the group exactly when complete for every member.
            let alone = try partial.map {
                try DoraEngine.report(for: $0, definitions: definitions, windows: [Self.windows[index]], asOf: asOf)
            }
            #expect(result.isComplete == alone.allSatisfy { $0.windowResults[0].isComplete }, "window \(result.window.name)")
            #expect(result.incomplete?.repositories ?? [] == alone.filter { !$0.windowResults[0].isComplete }.map(\.repository))
            if let metrics = result.metrics {
                complete += 1
                #expect(metrics == expected.metrics, "seed \(seed), window \(result.window.name)")
            }
        }
        #expect(complete >= 1 && complete < Self.windows.count, "\(report.windowResults.map { $0.incomplete?.reason })")
    }

    // MARK: Real histories

    /// The real commit graphs of `Tests/Fixtures/histories` (tags as deployments), with incidents opened after some
    /// deployments, truncated at several instants: every window marked complete equals the full history's. Once
    /// with every tag, once with only the tags of the tracked branch: a tag of a commit that is not synced may be an
    /// old commit of the branch or one off it (node_exporter tags its release branches), so windows holding one
    /// stay incomplete until the history is complete.
    @Test(arguments: ["pallets-flask-history.json", "prometheus-node_exporter-history.json"])
    func realHistoriesTruncatedAtAnInstantKeepEveryCompleteNumber(_ file: String) throws {
        let history = try RealHistoryTests.load(file)
        let definitions = DoraDefinitions(deploymentSource: .tags, deploymentPattern: history.tagRegex)
        let end = try #require(history.commits.map(\.committedAt).max()).addingTimeInterval(1)
        let start = try #require(history.commits.map(\.committedAt).min())
        let onBranch = Set(history.commits.map(\.sha))
        for tags in [history.tags, history.tags.filter { onBranch.contains($0.commitSha) }] {
            var full = RepositoryData(repository: file, commits: history.commits, tags: tags)
            // An incident 1 hour after every third deployment, resolved 2 days later (every seventh never).
            let deployments = try DoraEngine.timeline(for: full, definitions: definitions, asOf: end).deployments
            full.issues = deployments.enumerated().filter { $0.offset % 3 == 0 }.map { index, deployment in
                let opened = deployment.time.addingTimeInterval(3_600)
                return Fixtures.issue(index, opened, closed: index % 7 == 0 ? nil : opened.addingTimeInterval(2 * 86_400))
            }
            let span = end.timeIntervalSince(start)
            let windows: [DoraWindow] = [.days(30), .days(90), .days(180), .days(365), .all]
            var tally = Tally()
            for fraction in [0.3, 0.5, 0.7, 0.85] {
                let from = start.addingTimeInterval(span * fraction)
                // Tags are listed whole every sync; commits and issues by their dates.
                let partial = Self.truncate(full, from: from)
                for asOf in [start.addingTimeInterval(span * 0.9), end] {
                    try Self.compare(
                        full: full, partial: partial, definitions: definitions, windows: windows, asOf: asOf,
                        label: "\(file) (\(tags.count) tags) from \(fraction), as of \(asOf)", tally: &tally)
                }
            }
            #expect(tally.incomplete >= 8, "\(file): `all` never is complete, nor windows reaching before the synced history")
            if tags.allSatisfy({ onBranch.contains($0.commitSha) }) {
                #expect(tally.complete >= 3, "\(file): windows the history covers; \(tally.reasons)")
            }
        }
    }
}
