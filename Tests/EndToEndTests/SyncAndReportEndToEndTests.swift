import Foundation
import GitHubSimulator
import Logging
import Testing

/// The simulator on loopback, the real `devops-twin sync` and `devops-twin report --json` processes, and
/// expectations the test derives on its own from the simulator's data (not from the engine).
@Suite(.serialized) struct SyncAndReportEndToEndTests {
    static let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!

    /// The tests' profile, and the demo's (`devops-twin demo`: a steady team, few incidents, all resolved).
    @Test(arguments: [SimulatedTeamProfile.standard, .steadyTeam])
    func reportAfterSyncMatchesWhatTheSimulatedRepositoryImplies(profile: SimulatedTeamProfile) async throws {
        let repository = SimulatedRepository.generated(
            owner: "acme", name: "shop", seed: 42, commits: 1500, now: Self.now, profile: profile)
        let github = SimulatedGitHub(repositories: [repository], requiredToken: "e2e-token-value")
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let config = try workspace.writeConfig(
            apiURL: simulator.baseURL,
            repositories: [#"{"name": "acme/shop", "incidents": {"rules": ["incident", "bug&prod"]}, "ciWorkflows": ["CI"]}"#])

        let sync = try await TwinProcess.run(["sync", "--config", config, "--json"], in: workspace.url, environment: ["GITHUB_TOKEN": "e2e-token-value"])
        #expect(sync.status == 0, "\(sync.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(sync.stdout.utf8)) as? [String: Any])
        let result = try #require((summary["repositories"] as? [[String: Any]])?.first)
        #expect(result["outcome"] as? String == "success")
        let entities = try #require(result["entities"] as? [String: [String: Int]])
        #expect(entities["commits"]?["stored"] == repository.commits.count)
        #expect(entities["releases"]?["stored"] == repository.releases.count)

        let report = try await TwinProcess.run(
            ["report", "--config", config, "--json", "--as-of", "2026-06-01T00:00:00Z", "--window", "30d,90d,all"], in: workspace.url)
        #expect(report.status == 0, "\(report.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let repo = try #require((root["repositories"] as? [[String: Any]])?.first)
        let windows = try #require(repo["windows"] as? [String: [String: Any]])
        let expected = IndependentDora(repository: repository, asOf: Self.now, rules: [["incident"], ["bug", "prod"]])

        #expect(repo["openIncidents"] as? Int == expected.openIncidents)
        #expect((repo["entities"] as? [String: Int])?["commits"] == repository.commits.count)
        var restoreWindowsWithSamples = 0
        for (name, length) in [("30d", 30.0 * 86_400), ("90d", 90.0 * 86_400), ("all", nil as Double?)] {
            let window = try #require(windows[name])
            let start = length.map { Self.now.addingTimeInterval(-$0) } ?? expected.firstDeployment!
            let frequency = try #require(window["deploymentFrequency"] as? [String: Any])
            #expect(frequency["deployments"] as? Int == expected.deployments(from: start), "deployments \(name)")
            let lead = try #require(window["leadTime"] as? [String: Any])
            let samples = expected.leadTimeSamples(from: start)
            #expect(lead["samples"] as? Int == samples.count, "lead time samples \(name)")
            if samples.isEmpty {
                #expect(lead["p50"] is NSNull)
            } else {
                let p50 = try #require(lead["p50"] as? Double)
                #expect(abs(p50 - percentile(samples, 0.5)) < 0.001, "lead time p50 \(name)")
            }
            let failure = try #require(window["changeFailureRate"] as? [String: Any])
            #expect(failure["incidents"] as? Int == expected.incidentsOpened(from: start), "incidents \(name)")
            let restore = try #require(window["timeToRestore"] as? [String: Any])
            let restoreSamples = expected.restoreSamples(from: start)
            #expect(restore["samples"] as? Int == restoreSamples.count, "time to restore samples \(name)")
            if restoreSamples.isEmpty {
                #expect(restore["p50"] is NSNull, "time to restore p50 \(name) without samples")
            } else {
                let p50 = try #require(restore["p50"] as? Double, "time to restore p50 \(name)")
                #expect(abs(p50 - percentile(restoreSamples, 0.5)) < 0.001, "time to restore p50 \(name)")
                restoreWindowsWithSamples += 1
            }
        }
        // The simulated history has restored incidents, so at least one p50 was compared, not only nulls.
        #expect(restoreWindowsWithSamples > 0)
        // The token reached GitHub (the simulator requires it) and no unauthenticated request was made.
        #expect(!github.requestLog.contains { $0.status == 401 })
        await simulator.stop()
    }
}

/// DORA for a simulated repository, derived the slow, obvious way from the simulator's own data
/// (releases source, committed time, baseline excluded).
struct IndependentDora {
    struct Deployment {
        var time: Date
        var sha: String
    }

    let deploymentsInOrder: [Deployment]
    let samplesByDeployment: [(time: Date, samples: [Double])]
    let incidents: [SimIssue]
    let asOf: Date

    init(repository: SimulatedRepository, asOf: Date, rules: [[String]]) {
        self.asOf = asOf
        let tagCommit = Dictionary(repository.tags.map { ($0.name, $0.commitSha) }, uniquingKeysWith: { a, _ in a })
        let deployments = repository.releases.compactMap { release -> Deployment? in
            guard !release.draft, !release.prerelease, let published = release.publishedAt, published < asOf,
                let sha = tagCommit[release.tagName]
            else { return nil }
            return Deployment(time: published, sha: sha)
        }.sorted { ($0.time, $0.sha) < ($1.time, $1.sha) }
        deploymentsInOrder = deployments
        let commits = Dictionary(repository.commits.map { ($0.sha, $0) }, uniquingKeysWith: { a, _ in a })
        samplesByDeployment = ReferenceWalk.leadTimeSamples(deployments.map { ($0.time, $0.sha) }, commits: commits)
        incidents = ReferenceWalk.incidents(repository, asOf: asOf, rules: rules)
    }

    var firstDeployment: Date? { deploymentsInOrder.first?.time }

    var openIncidents: Int {
        incidents.filter { $0.state != "closed" || ($0.closedAt.map { $0 >= asOf } ?? true) }.count
    }

    func deployments(from start: Date) -> Int { deploymentsInOrder.filter { $0.time >= start && $0.time < asOf }.count }

    func leadTimeSamples(from start: Date) -> [Double] {
        samplesByDeployment.filter { $0.time >= start && $0.time < asOf }.flatMap(\.samples).sorted()
    }

    func incidentsOpened(from start: Date) -> Int { incidents.filter { $0.createdAt >= start && $0.createdAt < asOf }.count }

    func restoreSamples(from start: Date) -> [Double] {
        incidents.compactMap { issue -> Double? in
            guard issue.state == "closed", let closed = issue.closedAt, closed >= start, closed < asOf else { return nil }
            return closed.timeIntervalSince(issue.createdAt)
        }.sorted()
    }
}

/// Linear interpolation between closest ranks (numpy's default).
func percentile(_ sorted: [Double], _ q: Double) -> Double {
    let h = Double(sorted.count - 1) * q
    let low = Int(h.rounded(.down))
    guard low + 1 < sorted.count else { return sorted[low] }
    return sorted[low] + (h - Double(low)) * (sorted[low + 1] - sorted[low])
}
