import Foundation
import GitHubSimulator

/// The parts the end-to-end tests' brute-force references share, the slow, obvious way over the simulator's
/// own data: the first-deployed walk and the incident selection.
enum ReferenceWalk {
    /// Per deployment after the baseline (in the order given), its time and the lead times (committed time,
    /// `> 0`) of the commits it deploys first: every ancestor, minus what earlier deployments deployed. A
    /// deployment of a commit outside the history deploys nothing.
    static func leadTimeSamples(_ deployments: [(time: Date, sha: String)], commits: [String: SimCommit]) -> [(time: Date, samples: [Double])] {
        var deployed = Set<String>()
        var samples: [(time: Date, samples: [Double])] = []
        for (index, deployment) in deployments.enumerated() {
            guard commits[deployment.sha] != nil else { continue }
            var ancestors = Set<String>()
            var stack = [deployment.sha]
            while let sha = stack.popLast() {
                guard ancestors.insert(sha).inserted, let commit = commits[sha] else { continue }
                stack.append(contentsOf: commit.parents)
            }
            let fresh = ancestors.subtracting(deployed).filter { commits[$0] != nil }
            deployed.formUnion(ancestors)
            if index == 0 { continue }  // the baseline yields no samples
            samples.append((deployment.time, fresh.map { deployment.time.timeIntervalSince(commits[$0]!.committerDate) }.filter { $0 > 0 }))
        }
        return samples
    }

    /// Issues (not pull requests) opened before `asOf` whose labels satisfy a rule (case-insensitive), less those
    /// closed as not planned before `asOf`.
    static func incidents(_ repository: SimulatedRepository, asOf: Date, rules: [[String]]) -> [SimIssue] {
        repository.issues.filter { issue in
            guard !issue.isPullRequest, issue.createdAt < asOf else { return false }
            if issue.state == "closed", issue.stateReason == "not_planned", let closed = issue.closedAt, closed < asOf { return false }
            let labels = Set(issue.labels.map { $0.lowercased() })
            return rules.contains { rule in rule.allSatisfy { labels.contains($0.lowercased()) } }
        }
    }
}
