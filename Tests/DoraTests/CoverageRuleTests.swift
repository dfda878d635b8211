import Foundation
import Testing

@testable import Dora

/// Spec v1.2 "Coverage": each rule of `CoverageCheck` on a hand-built history whose partial copy would give a
/// different number than the full history if it were computed. Days count from 2024-01-01 (`Fixtures`).
@Suite struct CoverageRuleTests {
    typealias F = Fixtures

    /// The partial copy's window is incomplete for `reason`, without numbers; computed as if it were complete,
    /// the partial copy would have given a wrong number (so the case is one the rule must catch).
    static func expectIncomplete(
        full: RepositoryData, partial: RepositoryData, from day: Double, window: DoraWindow, asOf: Double,
        definitions: DoraDefinitions, reason: IncompleteWindow.Reason, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var covered = partial
        covered.coverage = .partial(from: F.at(day))
        let report = try DoraEngine.report(for: covered, definitions: definitions, windows: [window], asOf: F.at(asOf))
        let result = try #require(report.windowResults.first, sourceLocation: sourceLocation)
        #expect(!result.isComplete && result.metrics == nil, sourceLocation: sourceLocation)
        #expect(report.windows.isEmpty, "no statistic of an incomplete window is reachable", sourceLocation: sourceLocation)
        #expect(result.incomplete?.reason == reason, sourceLocation: sourceLocation)
        #expect(result.incomplete?.coverage == .partial(from: F.at(day)), sourceLocation: sourceLocation)
        #expect(result.incomplete?.repositories == [partial.repository], sourceLocation: sourceLocation)
        #expect(report.coverage == .partial(from: F.at(day)), sourceLocation: sourceLocation)

        let truth = try DoraEngine.report(for: full, definitions: definitions, windows: [window], asOf: F.at(asOf)).windows
        let naive = try DoraEngine.report(for: partial, definitions: definitions, windows: [window], asOf: F.at(asOf)).windows
        #expect(truth.count == 1 && naive.count == 1, sourceLocation: sourceLocation)
        #expect(truth != naive, "the partial history alone would have given a wrong number", sourceLocation: sourceLocation)
    }

    /// The partial copy's window is complete and equal to the full history's.
    static func expectComplete(
        full: RepositoryData, partial: RepositoryData, from day: Double, window: DoraWindow, asOf: Double,
        definitions: DoraDefinitions, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var covered = partial
        covered.coverage = .partial(from: F.at(day))
        let report = try DoraEngine.report(for: covered, definitions: definitions, windows: [window], asOf: F.at(asOf))
        let truth = try DoraEngine.report(for: full, definitions: definitions, windows: [window], asOf: F.at(asOf))
        #expect(report.windowResults.first?.isComplete == true, "\(String(describing: report.windowResults.first?.incomplete))", sourceLocation: sourceLocation)
        #expect(report.windows == truth.windows, sourceLocation: sourceLocation)
    }

    /// Commit `c<i>` on day `i` (0 ..< count), a linear history.
    static func daily(_ count: Int) -> [CommitRecord] { F.linear((0..<count).map(Double.init)) }

    static func synced(_ commits: [CommitRecord], from day: Double) -> [CommitRecord] {
        commits.filter { $0.committedAt >= F.at(day) }
    }

    // MARK: The test the issue asks for

    /// Issue #11: "A window wider than the synced history is never reported as a complete number." Releases every
    /// 4 days over 40 days; the history is synced from day 20.
    @Test func aWindowWiderThanTheSyncedHistoryIsNeverReportedAsACompleteNumber() throws {
        let commits = F.linear((0..<20).map { Double($0 * 2) })  // c<i> on day 2i
        let releases = (0..<10).map { k in F.release(Int64(k), "v\(k)", F.at(Double(4 * k + 1)), "c\(2 * k)") }
        let issues = [F.issue(1, F.at(13, 2), closed: F.at(14)), F.issue(2, F.at(33, 1), closed: F.at(34))]
        let full = RepositoryData(repository: "acme/shop", commits: commits, releases: releases, issues: issues)
        let partial = RepositoryData(
            repository: "acme/shop", commits: Self.synced(commits, from: 20),
            releases: releases.filter { $0.publishedAt! >= F.at(20) }, issues: issues.filter { $0.closedAt! >= F.at(20) })
        let definitions = DoraDefinitions(attributionWindow: 2 * 86_400)
        let windows: [DoraWindow] = [.days(30), .days(10), .all]

        var covered = partial
        covered.coverage = .partial(from: F.at(20))
        let report = try DoraEngine.report(for: covered, definitions: definitions, windows: windows, asOf: F.at(40))
        let truth = try DoraEngine.report(for: full, definitions: definitions, windows: windows, asOf: F.at(40))
        #expect(report.windowResults.map(\.window.name) == ["30d", "10d", "all"])
        #expect(report.windowResults.map(\.isComplete) == [false, true, false])
        #expect(report.windowResults.map { $0.incomplete?.reason } == [.beforeCoverage, nil, .wholeHistory])
        // The covered window is exactly the full history's number; the others have none at all.
        #expect(report.windows == [truth.windows[1]])
        #expect(report.windowResults[0].start == F.at(10) && report.windowResults[0].end == F.at(40))

        // What would have been reported without the rule: 5 deployments in 30 days instead of 7, and the first
        // synced release taken for the baseline.
        let naive = try DoraEngine.report(for: partial, definitions: definitions, windows: windows, asOf: F.at(40))
        #expect(naive.windows[0].deployments == 5 && truth.windows[0].deployments == 7)
        #expect(naive.windows[0] != truth.windows[0] && naive.windows[2] != truth.windows[2])
    }

    // MARK: One rule each

    @Test func nothingSyncedLeavesEveryWindowIncomplete() throws {
        var data = RepositoryData(
            repository: "acme/new", commits: Self.daily(10), releases: [F.release(1, "v1", F.at(5), "c5")], coverage: .none)
        let report = try F.report(data, windows: [.days(7), .days(30), .all], asOf: F.at(10))
        #expect(report.windows.isEmpty)
        #expect(report.windowResults.map { $0.incomplete?.reason } == [.nothingSynced, .nothingSynced, .nothingSynced])
        #expect(report.coverage == .none && report.windowResults.allSatisfy { $0.incomplete?.coverage == HistoryCoverage.none })
        // Complete coverage: every window has its numbers, as before coverage existed.
        data.coverage = .complete
        #expect(try F.report(data, windows: [.days(7), .days(30), .all], asOf: F.at(10)).windowResults.allSatisfy(\.isComplete))
    }

    /// The deployment before the window's first is older than the synced history: the first synced one would be
    /// taken for the baseline (no lead-time samples) instead of first-deploying three commits.
    @Test func thePreviousDeploymentMustBeSynced() throws {
        let commits = Self.daily(10)
        let releases = [
            F.release(0, "v0", F.at(0, 12), "c0"), F.release(1, "v1", F.at(5, 12), "c5"), F.release(2, "v2", F.at(8, 12), "c8"),
        ]
        let full = RepositoryData(repository: "acme/api", commits: commits, releases: releases)
        let partial = RepositoryData(repository: "acme/api", commits: commits, releases: [releases[2]])
        try Self.expectIncomplete(
            full: full, partial: partial, from: 6, window: .days(3), asOf: 10,
            definitions: DoraDefinitions(attributionWindow: 43_200), reason: .previousDeployment)
        // With v1 synced at or after the coverage start the window is covered.
        try Self.expectComplete(
            full: full, partial: RepositoryData(repository: "acme/api", commits: commits, releases: Array(releases[1...])),
            from: 5, window: .days(3), asOf: 10, definitions: DoraDefinitions(attributionWindow: 43_200))
    }

    /// A feature commit of day 8 was deployed on day 9 (not synced), merged on day 13 and deployed again by the
    /// window's release: the synced graph holds it, but only the whole history knows it was already deployed.
    @Test func commitsOlderThanTheSyncedHistoryMakeTheWalkUnknown() throws {
        let commits = [
            F.commit("m0", [], 0), F.commit("f1", ["m0"], 8), F.commit("m1", ["m0"], 11), F.commit("m2", ["m1", "f1"], 13),
        ]
        let releases = [
            F.release(0, "v0", F.at(1), "m0"), F.release(1, "feature", F.at(9), "f1"), F.release(2, "v1", F.at(11, 12), "m1"),
            F.release(3, "v2", F.at(14), "m2"),
        ]
        let full = RepositoryData(repository: "acme/web", commits: commits, releases: releases)
        let partial = RepositoryData(repository: "acme/web", commits: commits, releases: Array(releases[2...]))
        try Self.expectIncomplete(
            full: full, partial: partial, from: 10, window: .days(3), asOf: 16,
            definitions: DoraDefinitions(attributionWindow: 86_400), reason: .deploymentCommits)
    }

    /// A parent that is not synced is unknown history: the whole history first-deploys it with the window's
    /// release (its lead time counts), the synced graph stops short of it.
    @Test func aParentThatIsNotSyncedMakesTheWalkUnknown() throws {
        let commits = [F.commit("a", [], 8), F.commit("b", ["a"], 11), F.commit("c", ["b"], 13)]
        // v1 deploys a commit of another branch (untracked either way): the deployment before the window's.
        let releases = [F.release(1, "v1", F.at(10, 12), "elsewhere"), F.release(2, "v2", F.at(14), "c")]
        try Self.expectIncomplete(
            full: RepositoryData(repository: "acme/web", commits: commits, releases: releases),
            partial: RepositoryData(repository: "acme/web", commits: Array(commits[1...]), releases: releases), from: 10,
            window: .days(3), asOf: 16, definitions: DoraDefinitions(attributionWindow: 86_400), reason: .deploymentCommits)
    }

    /// An incident opened on day 8 (before the synced history) and resolved in the window: its recovery sample
    /// runs from the deployment of day 7.5, which is not synced.
    @Test func anIncidentResolvedInTheWindowMustBeAttributable() throws {
        let commits = Self.daily(30)
        let releases = [F.release(0, "v0", F.at(7, 12), "c7"), F.release(1, "v1", F.at(12), "c12"), F.release(2, "v2", F.at(25), "c25")]
        let incident = F.issue(1, F.at(8), closed: F.at(22))
        let full = RepositoryData(repository: "acme/pay", commits: commits, releases: releases, issues: [incident])
        let partial = RepositoryData(
            repository: "acme/pay", commits: Self.synced(commits, from: 10), releases: Array(releases[1...]), issues: [incident])
        let definitions = DoraDefinitions(attributionWindow: 2 * 86_400)
        try Self.expectIncomplete(
            full: full, partial: partial, from: 10, window: .days(10), asOf: 30, definitions: definitions,
            reason: .incidentAttribution)
        // Opened after the synced deployment of day 12: attributed to it whatever older history is missing.
        let later = F.issue(1, F.at(13), closed: F.at(22))
        try Self.expectComplete(
            full: RepositoryData(repository: "acme/pay", commits: commits, releases: releases, issues: [later]),
            partial: RepositoryData(
                repository: "acme/pay", commits: Self.synced(commits, from: 10), releases: Array(releases[1...]), issues: [later]),
            from: 10, window: .days(10), asOf: 30, definitions: definitions)
    }

    /// A CI failure streak that began on day 9 (not synced) and recovered on day 22 belongs to no window starting
    /// on day 20; the synced runs alone would start it on day 21.
    @Test func aCIStreakMustStartAfterASyncedRun() throws {
        let commits = Self.daily(30)
        let releases = [F.release(1, "v1", F.at(12), "c12"), F.release(2, "v2", F.at(25), "c25")]
        let runs = [
            F.run(1, "CI", conclusion: "failure", updated: F.at(9)), F.run(2, "CI", conclusion: "failure", updated: F.at(21)),
            F.run(3, "CI", conclusion: "success", updated: F.at(22)),
        ]
        let definitions = DoraDefinitions(attributionWindow: 2 * 86_400, ciWorkflows: ["CI"])
        let full = RepositoryData(repository: "acme/ci", commits: commits, releases: releases, workflowRuns: runs)
        let partial = RepositoryData(
            repository: "acme/ci", commits: Self.synced(commits, from: 10), releases: releases, workflowRuns: Array(runs[1...]))
        try Self.expectIncomplete(
            full: full, partial: partial, from: 10, window: .days(10), asOf: 30, definitions: definitions, reason: .ciStreak)
        // A synced success on day 15 closes the old streak: the one of day 21 is known to begin there.
        let success = F.run(4, "CI", conclusion: "success", updated: F.at(15))
        try Self.expectComplete(
            full: RepositoryData(repository: "acme/ci", commits: commits, releases: releases, workflowRuns: runs + [success]),
            partial: RepositoryData(
                repository: "acme/ci", commits: Self.synced(commits, from: 10), releases: releases,
                workflowRuns: Array(runs[1...]) + [success]),
            from: 10, window: .days(10), asOf: 30, definitions: definitions)
    }

    /// No deployment synced: whether the repository ever deployed (which grades deployment frequency) is unknown.
    @Test func withoutASyncedDeploymentWhetherAnyExistsIsUnknown() throws {
        let commits = Self.daily(30)
        let full = RepositoryData(repository: "acme/lib", commits: commits, releases: [F.release(1, "v1", F.at(2), "c2")])
        let partial = RepositoryData(repository: "acme/lib", commits: Self.synced(commits, from: 10))
        try Self.expectIncomplete(
            full: full, partial: partial, from: 10, window: .days(10), asOf: 30,
            definitions: DoraDefinitions(attributionWindow: 86_400), reason: .deploymentsUnknown)
    }

    /// Source `workflow`: a run pushed for tag `v1`, whose commit (day 5) is not synced, cannot be told from a tag
    /// off the tracked branch; the whole history counts it as a deployment.
    @Test func aTagRunWhoseCommitIsNotSyncedIsUnknown() throws {
        let commits = Self.daily(30)
        let tags = [TagRecord(name: "v1", commitSha: "c5", taggerDate: F.at(5))]
        let runs = [
            F.run(1, "deploy", branch: "main", sha: "c12", conclusion: "success", updated: F.at(12)),
            F.run(2, "deploy", branch: "v1", sha: "c5", conclusion: "success", updated: F.at(22)),
        ]
        let definitions = DoraDefinitions(deploymentSource: .workflow(names: ["deploy"]), attributionWindow: 86_400)
        let full = RepositoryData(repository: "acme/ops", commits: commits, tags: tags, workflowRuns: runs)
        let partial = RepositoryData(repository: "acme/ops", commits: Self.synced(commits, from: 10), tags: tags, workflowRuns: runs)
        try Self.expectIncomplete(
            full: full, partial: partial, from: 10, window: .days(10), asOf: 30, definitions: definitions, reason: .unresolvedRuns)
    }

    // MARK: Groups

    /// A group's window is complete only when it is complete for every member, and then it is the full history's.
    @Test func aGroupWindowIsCompleteWhenEveryMemberCoversIt() throws {
        let commits = Self.daily(40)
        let releases = (0..<10).map { k in F.release(Int64(k), "v\(k)", F.at(Double(4 * k) + 0.5), "c\(4 * k)") }
        let full = RepositoryData(repository: "acme/b", commits: commits, releases: releases)
        var partial = RepositoryData(
            repository: "acme/b", commits: Self.synced(commits, from: 20), releases: releases.filter { $0.publishedAt! >= F.at(20) })
        partial.coverage = .partial(from: F.at(20))
        let other = RepositoryData(repository: "acme/a", commits: Self.daily(40), releases: [F.release(1, "v1", F.at(3), "c3")])
        let definitions = DoraDefinitions(attributionWindow: 86_400)
        let windows: [DoraWindow] = [.days(10), .days(30), .all]
        func group(_ b: RepositoryData) throws -> GroupReport {
            try DoraEngine.groupReport(
                group: "team", members: [GroupMember(data: other, definitions: definitions), GroupMember(data: b, definitions: definitions)],
                windows: windows, asOf: F.at(40), benchmark: .v2023)
        }
        let report = try group(partial)
        let truth = try group(full)
        #expect(report.windowResults.map(\.isComplete) == [true, false, false])
        #expect(report.windows == [truth.windows[0]])
        #expect(report.windowResults[1].incomplete?.repositories == ["acme/b"])
        #expect(report.windowResults[1].incomplete?.reason == .beforeCoverage)
        #expect(report.coverage == .partial(from: F.at(20)) && truth.coverage == .complete)
        #expect(HistoryCoverage.combined([.complete, .partial(from: F.at(3)), .partial(from: F.at(5))]) == .partial(from: F.at(5)))
        #expect(HistoryCoverage.combined([.partial(from: F.at(3)), .none]) == .none)
    }
}
