import Foundation
import Testing

@testable import Dora

@Suite struct DeploymentSourceTests {
    typealias F = Fixtures
    static let commits = F.linear([0, 1, 2])

    static func keys(_ data: RepositoryData, _ definitions: DoraDefinitions, asOf: Date = Fixtures.at(10)) throws -> [String] {
        try DoraEngine.timeline(for: data, definitions: definitions, asOf: asOf).deployments.map(\.key)
    }

    @Test func releasesSkipDraftsUnpublishedAndPrereleasesByDefault() throws {
        let data = RepositoryData(
            repository: "r", commits: Self.commits,
            releases: [
                F.release(1, "v1", F.at(1), "c0"), F.release(2, "v2-draft", F.at(2), "c1", draft: true),
                F.release(3, "v3-rc", F.at(3), "c1", prerelease: true), F.release(4, "v4", nil, "c2"),
                F.release(5, "v5", F.at(4), "c2"), F.release(6, "v6", F.at(10), "c2"),
            ])
        #expect(try Self.keys(data, DoraDefinitions()) == ["release:1", "release:5"])
        #expect(
            try Self.keys(data, DoraDefinitions(deploymentSource: .releases(includePrereleases: true)))
                == ["release:1", "release:3", "release:5"])
        let timeline = try DoraEngine.timeline(for: data, definitions: DoraDefinitions(), asOf: F.at(10))
        #expect(timeline.deployments.map(\.time) == [F.at(1), F.at(4)])
        #expect(timeline.deployments.map(\.name) == ["v1", "v5"])
    }

    @Test func tagsUseTaggerDateElseCommitTimeAndSkipUndatable() throws {
        let data = RepositoryData(
            repository: "r", commits: Self.commits,
            tags: [
                TagRecord(name: "annotated", commitSha: "c0", taggerDate: F.at(5)),
                TagRecord(name: "light", commitSha: "c1"),
                TagRecord(name: "unknown-light", commitSha: "zzz"),
                TagRecord(name: "unknown-annotated", commitSha: "yyy", taggerDate: F.at(6)),
            ])
        let timeline = try DoraEngine.timeline(for: data, definitions: DoraDefinitions(deploymentSource: .tags), asOf: F.at(10))
        #expect(timeline.deployments.map(\.key) == ["tag:light", "tag:annotated", "tag:unknown-annotated"])
        #expect(timeline.deployments.map(\.time) == [F.at(1), F.at(5), F.at(6)])
        #expect(timeline.deployments.map(\.tracked) == [true, true, false])
    }

    @Test func workflowRunsOnTheTrackedBranchByLatestAttempt() throws {
        let runs = [
            F.run(1, sha: "c0", conclusion: "success", updated: F.at(1)),
            F.run(2, sha: "c1", conclusion: "failure", attempt: 1, updated: F.at(2)),
            F.run(2, sha: "c1", conclusion: "success", attempt: 2, updated: F.at(2, 1)),  // re-run succeeded
            F.run(3, sha: "c2", conclusion: "timed_out", updated: F.at(3)),
            F.run(4, sha: "c2", conclusion: "cancelled", updated: F.at(3, 1)),
            F.run(5, branch: "feature", sha: "c2", conclusion: "success", updated: F.at(3, 2)),
            F.run(6, "ci", sha: "c2", conclusion: "success", updated: F.at(3, 3)),
            F.run(7, "Deploy prod", sha: "c2", conclusion: "success", updated: F.at(4), path: ".github/workflows/deploy.yml"),
            F.run(8, sha: "c2", status: "in_progress", conclusion: nil, updated: F.at(4, 1)),
            F.run(9, sha: "c2", conclusion: "failure", updated: F.at(10)),  // at asOf: ignored
        ]
        let data = RepositoryData(repository: "r", commits: Self.commits, workflowRuns: runs)
        let definitions = DoraDefinitions(deploymentSource: .workflow(names: ["deploy", "deploy.yml"]))
        let timeline = try DoraEngine.timeline(for: data, definitions: definitions, asOf: F.at(10))
        #expect(timeline.deployments.map(\.key) == ["run:1", "run:2", "run:7"])
        #expect(timeline.deployments[1].time == F.at(2, 1))
        #expect(timeline.failedAttempts.map(\.key) == ["run:3"])
        // Before the re-run finished, attempt 1 (failure) was the latest known attempt.
        let earlier = try DoraEngine.timeline(for: data, definitions: definitions, asOf: F.at(2, 0.5))
        #expect(earlier.deployments.map(\.key) == ["run:1"])
        #expect(earlier.failedAttempts.map(\.key) == ["run:2"])
    }

    @Test func deploymentsByEnvironmentAndLatestState() throws {
        let deployments = [
            F.deployment(1, sha: "c0", state: "success", at: F.at(1)),
            F.deployment(2, sha: "c1", state: "failure", at: F.at(2)),
            F.deployment(3, sha: "c1", state: "error", at: F.at(2, 1)),
            F.deployment(4, sha: "c2", state: "inactive", at: F.at(3)),
            F.deployment(5, env: "staging", sha: "c2", state: "success", at: F.at(3)),
            F.deployment(6, env: "production-eu", sha: "c2", state: "success", at: F.at(4)),
            F.deployment(7, sha: "c2", state: nil, at: nil),
        ]
        let data = RepositoryData(repository: "r", commits: Self.commits, deployments: deployments)
        let strict = try DoraEngine.timeline(
            for: data, definitions: DoraDefinitions(deploymentSource: .deployments(environmentPattern: "^production$")),
            asOf: F.at(10))
        #expect(strict.deployments.map(\.key) == ["deployment:1"])
        #expect(strict.failedAttempts.map(\.key) == ["deployment:2", "deployment:3"])
        let loose = try DoraEngine.timeline(
            for: data, definitions: DoraDefinitions(deploymentSource: .deployments(environmentPattern: "production")),
            asOf: F.at(10))
        #expect(loose.deployments.map(\.key) == ["deployment:1", "deployment:6"])
    }

    struct PatternCase: Sendable, CustomStringConvertible {
        var source: DoraDefinitions.DeploymentSource
        var pattern: String
        var expected: [String]
        var description: String { "\(source) ~ \(pattern)" }
    }

    static let patternData = RepositoryData(
        repository: "r", commits: Fixtures.linear([0, 1, 2]),
        tags: [TagRecord(name: "v1.0.0", commitSha: "c0"), TagRecord(name: "nightly-1", commitSha: "c1")],
        releases: [Fixtures.release(1, "v1.0.0", Fixtures.at(1), "c0"), Fixtures.release(2, "nightly-1", Fixtures.at(2), "c1")],
        workflowRuns: [
            Fixtures.run(1, "deploy", sha: "c0", conclusion: "success", updated: Fixtures.at(1)),
            Fixtures.run(2, "deploy-canary", sha: "c1", conclusion: "success", updated: Fixtures.at(2)),
        ],
        deployments: [
            Fixtures.deployment(1, env: "production", sha: "c0", state: "success", at: Fixtures.at(1)),
            Fixtures.deployment(2, env: "production-canary", sha: "c1", state: "success", at: Fixtures.at(2)),
        ])

    @Test(arguments: [
        PatternCase(source: .releases(includePrereleases: false), pattern: "^v\\d", expected: ["release:1"]),
        PatternCase(source: .tags, pattern: "nightly", expected: ["tag:nightly-1"]),
        PatternCase(source: .workflow(names: ["deploy", "deploy-canary"]), pattern: "canary", expected: ["run:2"]),
        PatternCase(source: .deployments(environmentPattern: "^production"), pattern: "^production$", expected: ["deployment:1"]),
    ])
    func deploymentPatternFiltersPerSource(_ c: PatternCase) throws {
        let definitions = DoraDefinitions(deploymentSource: c.source, deploymentPattern: c.pattern)
        #expect(try Self.keys(Self.patternData, definitions) == c.expected)
    }

    @Test func invalidPatternsThrowADoraError() {
        #expect(throws: DoraError.self) {
            try Self.keys(Self.patternData, DoraDefinitions(deploymentPattern: "(unclosed"))
        }
        do {
            _ = try Self.keys(Self.patternData, DoraDefinitions(deploymentSource: .deployments(environmentPattern: "[")))
            Issue.record("expected an error")
        } catch let error as DoraError {
            #expect(error.kind == .invalidPattern)
            #expect(error.description.contains("environmentPattern"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func nonPositiveWindowThrows() {
        #expect(throws: DoraError.self) {
            try DoraEngine.report(
                for: Self.patternData, definitions: DoraDefinitions(), windows: [DoraWindow(name: "0d", length: 0)],
                asOf: Fixtures.at(10))
        }
    }
}
