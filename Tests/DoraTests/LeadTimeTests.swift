import Foundation
import Testing

@testable import Dora

@Suite struct LeadTimeTests {
    typealias F = Fixtures

    // c0(d0) <- c1(d1) <- c2(d2) <- c3(d3); releases at d1.5 -> c1, d4 -> c3
    static let commits = F.linear([0, 1, 2, 3])
    static let releases = [F.release(1, "v1", F.at(1, 12), "c1"), F.release(2, "v2", F.at(4), "c3")]

    @Test func baselineMarksItsAncestorsButYieldsNoSamples() throws {
        let w = try F.window(RepositoryData(repository: "r", commits: Self.commits, releases: Self.releases), asOf: F.at(10))
        // v2 first deploys c2 (2 days) and c3 (1 day); c0, c1 belong to the baseline.
        #expect(w.leadTime.samples == 2)
        #expect(w.leadTime.p50 == 1.5 * F.day)
        #expect(w.leadTime.mean == 1.5 * F.day)
    }

    @Test func includeBaselineMeasuresTheFirstDeploymentToo() throws {
        let w = try F.window(
            RepositoryData(repository: "r", commits: Self.commits, releases: Self.releases),
            DoraDefinitions(includeBaseline: true), asOf: F.at(10))
        // v1: c0 1.5 d, c1 0.5 d; v2: c2 2 d, c3 1 d.
        #expect(w.leadTime.samples == 4)
        #expect(w.leadTime.mean == 5 * F.day / 4)
    }

    @Test func untrackedFirstDeploymentIsStillTheBaseline() throws {
        let releases = [F.release(1, "v0", F.at(0, 12), "unknown")] + Self.releases
        let w = try F.window(RepositoryData(repository: "r", commits: Self.commits, releases: releases), asOf: F.at(10))
        // v0 is the baseline (untracked, marks nothing); v1 now measures c0 and c1.
        #expect(w.untrackedDeployments == 1)
        #expect(w.deployments == 3)
        #expect(w.leadTime.samples == 4)
    }

    @Test func releaseWithoutResolvedCommitIsUntracked() throws {
        let releases = Self.releases + [F.release(3, "v3", F.at(5), nil)]
        let timeline = try DoraEngine.timeline(
            for: RepositoryData(repository: "r", commits: Self.commits, releases: releases), definitions: DoraDefinitions(),
            asOf: F.at(10))
        #expect(timeline.deployments.map(\.tracked) == [true, true, false])
        #expect(timeline.deployments[2].firstDeployed.isEmpty)
    }

    @Test func nonPositiveSamplesAreDroppedAsSkewed() throws {
        // c2 committed at d4 (same instant as v2), c3 at d5 (after v2): both skewed.
        let commits = [F.commit("c0", [], 0), F.commit("c1", ["c0"], 1), F.commit("c2", ["c1"], 4), F.commit("c3", ["c2"], 5)]
        let w = try F.window(RepositoryData(repository: "r", commits: commits, releases: Self.releases), asOf: F.at(10))
        #expect(w.leadTime.samples == 0)
        #expect(w.leadTime.p50 == nil)
        #expect(w.skewedCommits == 2)
        #expect(w.levels[.leadTime] == nil)
    }

    @Test func authoredTimeOption() throws {
        let commits = [
            F.commit("c0", [], 0), F.commit("c1", ["c0"], 1), F.commit("c2", ["c1"], 2, authored: 0.5),
            F.commit("c3", ["c2"], 3, authored: 2),
        ]
        let data = RepositoryData(repository: "r", commits: commits, releases: Self.releases)
        let committed = try F.window(data, asOf: F.at(10))
        let authored = try F.window(data, DoraDefinitions(commitTime: .authored), asOf: F.at(10))
        #expect(committed.leadTime.mean == 1.5 * F.day)
        #expect(authored.leadTime.mean == 2.75 * F.day)
    }

    @Test func mergeCommitsDeployBothSidesOnce() throws {
        // m merges feature f1 <- f2 (from c0) into main c1.
        let commits = [
            F.commit("c0", [], 0), F.commit("c1", ["c0"], 1), F.commit("f1", ["c0"], 1.5), F.commit("f2", ["f1"], 2),
            F.commit("m", ["c1", "f2"], 3),
        ]
        let releases = [F.release(1, "v1", F.at(1, 12), "c1"), F.release(2, "v2", F.at(4), "m"), F.release(3, "v3", F.at(5), "m")]
        let timeline = try DoraEngine.timeline(
            for: RepositoryData(repository: "r", commits: commits, releases: releases), definitions: DoraDefinitions(),
            asOf: F.at(10))
        #expect(timeline.deployments.map { Set($0.firstDeployed.map(\.sha)) } == [["c0", "c1"], ["f1", "f2", "m"], []])
    }

    @Test func commitsAtOrAfterAsOfAreNotInTheGraph() throws {
        // asOf d3: c3 (d3) does not exist yet; v2 is after asOf too.
        let releases = Self.releases + [F.release(3, "v1.5", F.at(2, 12), "c2")]
        let w = try F.window(
            RepositoryData(repository: "r", commits: Self.commits, releases: releases), asOf: F.at(3))
        #expect(w.deployments == 2)
        #expect(w.leadTime.samples == 1)
        #expect(w.leadTime.p50 == 0.5 * F.day)
    }

    @Test func samplesBelongToTheWindowOfTheirDeployment() throws {
        // 7d window at asOf d10 is [d3, d10): v2 at d4 is in; the baseline at d1.5 is out.
        let w = try F.window(
            RepositoryData(repository: "r", commits: Self.commits, releases: Self.releases), window: .days(7), asOf: F.at(10))
        #expect(w.deployments == 1)
        #expect(w.leadTime.samples == 2)
        let narrow = try F.window(
            RepositoryData(repository: "r", commits: Self.commits, releases: Self.releases), window: .days(5), asOf: F.at(9))
        // [d4, d9): v2 at exactly d4 is in (inclusive start).
        #expect(narrow.deployments == 1)
        let before = try F.window(
            RepositoryData(repository: "r", commits: Self.commits, releases: Self.releases), window: .days(4), asOf: F.at(4))
        // [d0, d4): v2 at exactly d4 = asOf is out (exclusive end).
        #expect(before.deployments == 1)
        #expect(before.leadTime.samples == 0)
    }

    @Test func deploymentsWithEqualTimesAreOrderedBySha() throws {
        let commits = [F.commit("a", [], 0), F.commit("b", ["a"], 1)]
        let releases = [F.release(1, "x", F.at(2), "b"), F.release(2, "y", F.at(2), "a")]
        let timeline = try DoraEngine.timeline(
            for: RepositoryData(repository: "r", commits: commits, releases: releases),
            definitions: DoraDefinitions(includeBaseline: true), asOf: F.at(3))
        #expect(timeline.deployments.map(\.commitSha) == ["a", "b"])
        #expect(timeline.deployments.map { $0.firstDeployed.map(\.sha) } == [["a"], ["b"]])
    }
}
