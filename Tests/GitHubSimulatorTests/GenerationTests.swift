import Foundation
import GitHubSimulator
import Testing

@Suite("Generated repositories")
struct GenerationTests {
    @Test("the same inputs generate the same repository, another seed a different one")
    func deterministicForSeed() {
        let first = Fixtures.repository(commits: 800, seed: 7)
        let second = Fixtures.repository(commits: 800, seed: 7)
        let other = Fixtures.repository(commits: 800, seed: 8)
        #expect(first == second)
        #expect(first.commits.map(\.sha) != other.commits.map(\.sha))
    }

    @Test("the history has the requested size, parents before children and ends shortly before now")
    func historyShape() throws {
        let repository = Fixtures.repository(commits: 2000)
        #expect(repository.commits.count == 2000)
        var seen = Set<String>()
        for commit in repository.commits {
            #expect(commit.sha.count == 40 && commit.sha.allSatisfy(\.isHexDigit))
            for parent in commit.parents { #expect(seen.contains(parent)) }
            #expect(commit.authorDate <= commit.committerDate)
            seen.insert(commit.sha)
        }
        #expect(seen.count == 2000)
        let head = try #require(repository.commits.last)
        #expect(head.committerDate < Fixtures.now)
        #expect(Fixtures.now.timeIntervalSince(head.committerDate) < 3 * 3600)
        let merges = repository.commits.filter(\.isMerge).count
        #expect(merges > 100 && merges < 400)
        #expect(repository.commits.contains { $0.authorLogin == nil })
        #expect(repository.commits.contains { $0.authorDate < $0.committerDate })
        let days = head.committerDate.timeIntervalSince(repository.commits[0].committerDate) / 86_400
        #expect(Double(repository.commits.count) / days > 1 && Double(repository.commits.count) / days < 3)
    }

    @Test("tags, releases, issues, runs and deployments have the documented variety")
    func activityVariety() {
        let repository = Fixtures.repository(commits: 2000)
        #expect(repository.tags.count >= 25)
        #expect(repository.tags.contains { $0.annotated && $0.tagObjectSha != nil && $0.taggerDate != nil })
        #expect(repository.tags.contains { !$0.annotated })
        #expect(repository.releases.filter(\.draft).count == 1)
        #expect(repository.releases.filter(\.draft).allSatisfy { $0.publishedAt == nil })
        #expect(repository.releases.contains { $0.prerelease })
        for release in repository.releases where !release.draft {
            #expect(release.publishedAt != nil)
            #expect(release.targetCommitish == "main")
        }
        let issues = repository.issues.filter { !$0.isPullRequest }
        #expect(issues.count == 400)
        #expect(repository.issues.contains { $0.isPullRequest })
        for issue in repository.issues {
            #expect(issue.updatedAt >= issue.createdAt)
            if let closed = issue.closedAt { #expect(issue.updatedAt >= closed) }
        }
        let labels = Set(issues.flatMap(\.labels))
        #expect(labels.contains("Bug") && labels.contains("bug") && labels.contains("incident"))
        #expect(issues.contains { $0.stateReason == "not_planned" })
        #expect(issues.contains { $0.stateReason == "reopened" && $0.state == "open" })
        #expect(issues.contains { $0.labels.contains { $0.lowercased() == "incident" } && $0.state == "open" })
        #expect(Set(repository.workflows.map(\.path)).isSuperset(of: [".github/workflows/ci.yml", ".github/workflows/deploy.yml"]))
        #expect(repository.workflows.contains { $0.state != "active" })
        let statuses = Set(repository.runs.map(\.status))
        #expect(statuses.isSuperset(of: ["completed", "in_progress", "queued"]))
        #expect(repository.runs.contains { $0.runAttempt == 2 })
        #expect(repository.runs.contains { $0.conclusion == "failure" })
        #expect(repository.runs.contains { $0.headBranch?.hasPrefix("feature/") == true })
        #expect(repository.runs.contains { $0.event == "release" && $0.conclusion == "failure" })
        let environments = Set(repository.deployments.map(\.environment))
        #expect(environments == ["production", "staging"])
        let states = Set(repository.deployments.flatMap { $0.statuses.map(\.state) })
        #expect(states.isSuperset(of: ["success", "in_progress"]))
        #expect(states.contains("failure") || states.contains("error"))
        #expect(Set(repository.runs.map(\.id)).count == repository.runs.count)
    }

    @Test("a large history generates with unique shas")
    func largeHistory() {
        let repository = Fixtures.repository(commits: 100_000)
        #expect(repository.commits.count == 100_000)
        #expect(Set(repository.commits.map(\.sha)).count == 100_000)
    }
}
