import Foundation
import GitHubSimulator
import Logging
import Testing
import TwinStore

/// A release-on-tag repository (runs report the tag name as `head_branch`, with failed attempts, re-runs and
/// feature-branch runs): the real `sync`, `report --json` and `check-config` processes against numbers the test
/// derives by brute force from the simulator's raw runs (spec v1.2), not from the engine.
@Suite(.serialized) struct TagDeployEndToEndTests {
    static let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
    static let rules = [["incident"], ["bug", "prod"]]

    /// The tests' profile, and the demo's (`devops-twin demo`: a steady team, fewer failed attempts).
    @Test(arguments: [SimulatedTeamProfile.standard, .steadyTeam])
    func reportOfATagTriggeredDeployWorkflowMatchesABruteForceReference(profile: SimulatedTeamProfile) async throws {
        let repository = SimulatedRepository.generated(
            owner: "acme", name: "checkout", seed: 5, commits: 1500, now: Self.now, deployStyle: .onTagPush, profile: profile)
        let github = SimulatedGitHub(repositories: [repository])
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let config = try workspace.writeConfig(
            apiURL: simulator.baseURL,
            repositories: [
                #"{"name": "acme/checkout", "deployments": {"source": "workflow", "workflows": ["Deploy"]}, "incidents": {"rules": ["incident", "bug&prod"]}}"#
            ])

        let sync = try await TwinProcess.run(["sync", "--config", config], in: workspace.url)
        #expect(sync.status == 0, "\(sync.stderr)")
        let report = try await TwinProcess.run(
            ["report", "--config", config, "--json", "--as-of", "2026-06-01T00:00:00Z", "--window", "30d,90d,all"], in: workspace.url)
        #expect(report.status == 0, "\(report.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let repo = try #require((root["repositories"] as? [[String: Any]])?.first)
        let windows = try #require(repo["windows"] as? [String: [String: Any]])

        let reference = ReferenceTagDeploys(repository: repository, workflow: "Deploy", branch: "main", asOf: Self.now, rules: Self.rules)
        // The scenario the issue describes: tag runs, failed attempts, re-runs and runs that must not count.
        #expect(reference.deployments.count > 10)
        #expect(!reference.failed.isEmpty)
        #expect(repository.runs.contains { $0.name == "Deploy" && $0.runAttempt > 1 && $0.conclusion == "success" })
        #expect(repository.runs.contains { $0.name == "Deploy" && $0.event == "workflow_dispatch" && $0.conclusion == "success" })

        for (name, length) in [("30d", 30.0 * 86_400), ("90d", 90.0 * 86_400), ("all", nil as Double?)] {
            let window = try #require(windows[name])
            let start = length.map { Self.now.addingTimeInterval(-$0) } ?? reference.deployments.first!.time
            let frequency = try #require(window["deploymentFrequency"] as? [String: Any])
            #expect(frequency["deployments"] as? Int == reference.deploymentCount(from: start), "deployments \(name)")
            let failure = try #require(window["changeFailureRate"] as? [String: Any])
            #expect(failure["failedDeploymentAttempts"] as? Int == reference.failedCount(from: start), "failed attempts \(name)")
            let cfr = reference.changeFailure(from: start)
            #expect(failure["changes"] as? Int == cfr.changes, "changes \(name)")
            #expect(failure["failedChanges"] as? Int == cfr.failed, "failed changes \(name)")
            let lead = try #require(window["leadTime"] as? [String: Any])
            let samples = reference.leadTimeSamples(from: start)
            #expect(lead["samples"] as? Int == samples.count, "lead time samples \(name)")
            if let p50 = lead["p50"] as? Double, !samples.isEmpty {
                #expect(abs(p50 - percentile(samples, 0.5)) < 0.001, "lead time p50 \(name)")
            }
            let recovery = try #require(window["failedDeploymentRecovery"] as? [String: Any])
            let recoverySamples = reference.recoverySamples(from: start)
            #expect(recovery["samples"] as? Int == recoverySamples.count, "recovery samples \(name)")
            if let p50 = recovery["p50"] as? Double, !recoverySamples.isEmpty {
                #expect(abs(p50 - percentile(recoverySamples, 0.5)) < 0.001, "recovery p50 \(name)")
            }
        }
        let all = try #require(windows["all"]?["failedDeploymentRecovery"] as? [String: Any])
        #expect(all["samples"] as? Int ?? 0 > 0)

        // check-config: nothing to warn about while the runs count.
        let check = try await TwinProcess.run(["check-config", "--config", config], in: workspace.url)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) is [String: Any])
        #expect(!check.stderr.contains("warning: acme/checkout"))

        // Without the tags (as a store synced before they were needed), no run counts: check-config says why.
        do {
            let store = try TwinStore(path: workspace.storePath, logger: Logger(label: "test"))
            var batch = StoreBatch()
            batch.softDeletions = [.missing(repository: "acme/checkout", entity: .tags, keep: [])]
            try store.apply(batch)
        }
        let warned = try await TwinProcess.run(["check-config", "--config", config], in: workspace.url)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("warning: acme/checkout: the deploying workflow 'Deploy' has"), "\(warned.stderr)")
        #expect(warned.stderr.contains("neither the tracked branch 'main' nor a tag on it"), "\(warned.stderr)")
        #expect(warned.stderr.contains("head_branch seen: '"), "\(warned.stderr)")
        await simulator.stop()
    }

    @Test func reportOfAutoInactiveGitHubDeploymentsMatchesABruteForceReference() async throws {
        let repository = SimulatedRepository.generated(
            owner: "acme", name: "checkout", seed: 6, commits: 1500, now: Self.now, deployStyle: .onTagPush)
        let github = SimulatedGitHub(repositories: [repository])
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim"))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let config = try workspace.writeConfig(
            apiURL: simulator.baseURL,
            repositories: [#"{"name": "acme/checkout", "deployments": {"source": "deployments", "environmentPattern": "^prod$"}}"#])
        let sync = try await TwinProcess.run(["sync", "--config", config], in: workspace.url)
        #expect(sync.status == 0, "\(sync.stderr)")
        let report = try await TwinProcess.run(
            ["report", "--config", config, "--json", "--as-of", "2026-06-01T00:00:00Z", "--window", "30d,90d,all"], in: workspace.url)
        #expect(report.status == 0, "\(report.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let windows = try #require((root["repositories"] as? [[String: Any]])?.first?["windows"] as? [String: [String: Any]])

        // Brute force over the raw statuses: succeeded at the first success; else failed at the first failure/error.
        var succeeded: [Date] = []
        var failed: [Date] = []
        for deployment in repository.deployments where deployment.environment == "prod" {
            let known = deployment.statuses.filter { $0.createdAt < Self.now }
            if let first = known.filter({ $0.state == "success" }).map(\.createdAt).min() {
                succeeded.append(first)
            } else if let first = known.filter({ ["failure", "error"].contains($0.state) }).map(\.createdAt).min() {
                failed.append(first)
            }
        }
        // Superseded deployments (inactive after their success) are most of them: the case the issue is about.
        #expect(repository.deployments.filter { $0.statuses.last?.state == "inactive" }.count > 10)
        #expect(!failed.isEmpty)
        let first = try #require(succeeded.min())
        for (name, length) in [("30d", 30.0 * 86_400), ("90d", 90.0 * 86_400), ("all", nil as Double?)] {
            let start = length.map { Self.now.addingTimeInterval(-$0) } ?? first
            let window = try #require(windows[name])
            let frequency = try #require(window["deploymentFrequency"] as? [String: Any])
            #expect(frequency["deployments"] as? Int == succeeded.filter { $0 >= start && $0 < Self.now }.count, "deployments \(name)")
            let failure = try #require(window["changeFailureRate"] as? [String: Any])
            #expect(
                failure["failedDeploymentAttempts"] as? Int == failed.filter { $0 >= start && $0 < Self.now }.count,
                "failed attempts \(name)")
        }
        await simulator.stop()
    }
}

/// Spec v1.2 for the `workflow` source, the slow, obvious way over the simulator's raw runs: a completed
/// run of the workflow before `asOf` counts when its head_branch is the branch or a tag on a commit of the
/// history; success is a deployment at `updated_at`, failure/timed_out a failed attempt.
struct ReferenceTagDeploys {
    struct Deployment {
        var time: Date
        var sha: String
    }

    let deployments: [Deployment]
    let failed: [Date]
    let samples: [(time: Date, samples: [Double])]
    let incidents: [SimIssue]
    let asOf: Date

    init(repository: SimulatedRepository, workflow: String, branch: String, asOf: Date, rules: [[String]]) {
        self.asOf = asOf
        let commits = Dictionary(repository.commits.map { ($0.sha, $0) }, uniquingKeysWith: { a, _ in a })
        let tagsOnHistory = Set(repository.tags.filter { commits[$0.commitSha].map { $0.committerDate < asOf } ?? false }.map(\.name))
        var deployments: [Deployment] = []
        var failed: [Date] = []
        for run in repository.runs where run.name == workflow && run.status == "completed" && run.updatedAt < asOf {
            guard let head = run.headBranch, head == branch || tagsOnHistory.contains(head) else { continue }
            switch run.conclusion {
            case "success": deployments.append(Deployment(time: run.updatedAt, sha: run.headSha))
            case "failure", "timed_out": failed.append(run.updatedAt)
            default: break
            }
        }
        deployments.sort { ($0.time, $0.sha) < ($1.time, $1.sha) }
        self.deployments = deployments
        self.failed = failed.sorted()
        samples = ReferenceWalk.leadTimeSamples(deployments.map { ($0.time, $0.sha) }, commits: commits)
        incidents = ReferenceWalk.incidents(repository, asOf: asOf, rules: rules)
    }

    func inWindow(_ time: Date, _ start: Date) -> Bool { time >= start && time < asOf }

    func deploymentCount(from start: Date) -> Int { deployments.filter { inWindow($0.time, start) }.count }

    func failedCount(from start: Date) -> Int { failed.filter { inWindow($0, start) }.count }

    func leadTimeSamples(from start: Date) -> [Double] {
        samples.filter { inWindow($0.time, start) }.flatMap(\.samples).sorted()
    }

    /// The index of the deployment an incident is attributed to: the last one at or before its opening, within 7 days.
    func attributed(_ issue: SimIssue) -> Int? {
        guard let index = deployments.lastIndex(where: { $0.time <= issue.createdAt }),
            issue.createdAt.timeIntervalSince(deployments[index].time) <= 7 * 86_400
        else { return nil }
        return index
    }

    func changeFailure(from start: Date) -> (failed: Int, changes: Int) {
        let blamed = Set(incidents.compactMap(attributed))
        let inW = deployments.indices.filter { inWindow(deployments[$0].time, start) }
        let failures = failedCount(from: start)
        return (inW.filter { blamed.contains($0) }.count + failures, inW.count + failures)
    }

    func recoverySamples(from start: Date) -> [Double] {
        var values: [Double] = []
        for issue in incidents {
            guard issue.state == "closed", let closed = issue.closedAt, inWindow(closed, start), let index = attributed(issue)
            else { continue }
            values.append(closed.timeIntervalSince(deployments[index].time))
        }
        for attempt in failed where inWindow(attempt, start) {
            if let next = deployments.first(where: { $0.time > attempt }) { values.append(next.time.timeIntervalSince(attempt)) }
        }
        return values.sorted()
    }
}
