import Foundation
import GitHubSimulator
import Testing

@Suite("Generated release-on-tag deployments")
struct TagPushDeployGenerationTests {
    static let repository = SimulatedRepository.generated(
        owner: "acme", name: "checkout", seed: 5, commits: 3000, now: Fixtures.now, deployStyle: .onTagPush)

    @Test("each pushed tag gets one Deploy run whose head_branch is the tag name, event push")
    func tagRunsReportTheTagAsHeadBranch() {
        let tags = Set(Self.repository.tags.map(\.name))
        let tagRuns = Self.repository.runs.filter { $0.name == "Deploy" && $0.event == "push" }
        #expect(!tagRuns.isEmpty)
        #expect(tagRuns.allSatisfy { tags.contains($0.headBranch ?? "") })
        #expect(Set(tagRuns.map(\.headBranch)).count == tagRuns.count)
        let tagCommit = Dictionary(Self.repository.tags.map { ($0.name, $0.commitSha) }, uniquingKeysWith: { a, _ in a })
        #expect(tagRuns.allSatisfy { tagCommit[$0.headBranch ?? ""] == $0.headSha })
        #expect(!Self.repository.runs.contains { $0.name == "Deploy" && $0.event == "release" })
    }

    @Test("failures, re-runs to success, timeouts and feature-branch runs all occur")
    func failuresAndReRuns() {
        let deploys = Self.repository.runs.filter { $0.name == "Deploy" }
        #expect(deploys.contains { $0.event == "push" && $0.runAttempt == 1 && $0.conclusion == "failure" })
        #expect(deploys.contains { $0.event == "push" && $0.runAttempt >= 2 && $0.conclusion == "success" })
        #expect(deploys.contains { $0.conclusion == "timed_out" || $0.conclusion == "cancelled" })
        #expect(deploys.contains { $0.event == "workflow_dispatch" && ($0.headBranch ?? "").hasPrefix("feature/") })
    }

    @Test("prod deployments get auto_inactive: each success but the newest is later marked inactive")
    func autoInactive() throws {
        let prod = Self.repository.deployments.filter { $0.environment == "prod" }
        let succeeded = prod.filter { $0.statuses.contains { $0.state == "success" } }.sorted {
            $0.statuses.first { $0.state == "success" }!.createdAt < $1.statuses.first { $0.state == "success" }!.createdAt
        }
        #expect(succeeded.count > 10)
        #expect(succeeded.dropLast().allSatisfy { $0.statuses.last?.state == "inactive" })
        #expect(succeeded.last?.statuses.last?.state == "success")
        #expect(prod.contains { d in d.statuses.contains { ["failure", "error"].contains($0.state) } })
        for deployment in prod {
            let times = deployment.statuses.map(\.createdAt)
            #expect(times == times.sorted())
        }
    }

    @Test("the default style is unchanged: Deploy runs on releases")
    func defaultStyleIsOnRelease() {
        let repository = SimulatedRepository.generated(owner: "acme", name: "checkout", seed: 5, commits: 800, now: Fixtures.now)
        #expect(repository.runs.filter { $0.name == "Deploy" }.allSatisfy { $0.event == "release" })
        #expect(repository == SimulatedRepository.generated(
            owner: "acme", name: "checkout", seed: 5, commits: 800, now: Fixtures.now, deployStyle: .onRelease))
    }
}
