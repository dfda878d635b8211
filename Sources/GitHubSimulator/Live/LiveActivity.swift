import Foundation
import Synchronization

/// The simulator's live mode: repositories that keep changing (commits on the default branch, releases, issues
/// opened and closed, completed workflow runs), each change applied through `SimulatedGitHub.update` so the REST
/// API serves it at once, and returned with the webhook deliveries GitHub would send. Deterministic from the seed.
public final class LiveActivity: Sendable {
    let github: SimulatedGitHub
    let repositories: [String]
    let clock: @Sendable () -> Date
    private let rng: Mutex<SplitMix64>

    /// - Parameter repositories: the full names of simulated repositories to change.
    public init(github: SimulatedGitHub, repositories: [String], seed: UInt64, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.github = github
        self.repositories = repositories
        self.clock = clock
        self.rng = Mutex(SplitMix64(seed: seed))
    }

    /// Makes one change to a repository picked at random; nil when there is none to change.
    public func step() -> LiveChange? {
        guard !repositories.isEmpty else { return nil }
        let (index, roll, sha) = rng.withLock { rng in (rng.int(0...(repositories.count - 1)), rng.unit(), rng.sha()) }
        let kind: LiveChange.Kind =
            switch roll {
            case ..<0.45: .commit
            case ..<0.6: .workflowRun
            case ..<0.75: .issueOpened
            case ..<0.9: .issueClosed
            default: .release
            }
        return apply(kind, to: repositories[index], sha: sha)
    }

    /// Applies a change of `kind` to `fullName` (tests pick their change).
    public func apply(_ kind: LiveChange.Kind, to fullName: String, sha: String? = nil) -> LiveChange? {
        let now = Date(timeIntervalSince1970: clock().timeIntervalSince1970.rounded(.down))
        let sha = sha ?? rng.withLock { $0.sha() }
        var key = ""
        var before: String?
        var closed: SimIssue?
        github.update(fullName) { repository in
            switch kind {
            case .commit:
                before = repository.headSha
                let login = "dev\(Int(sha.prefix(2), radix: 16).map { $0 % 5 } ?? 0)"
                repository.commits.append(
                    SimCommit(
                        sha: sha, parents: repository.headSha.map { [$0] } ?? [], message: "Change \(sha.prefix(7))",
                        authorName: login, authorEmail: "\(login)@example.com", authorLogin: login, authorDate: now))
                key = sha
            case .release:
                guard let head = repository.headSha else { return }
                let number = repository.releases.count + 1
                let tag = "live-v\(number).\(sha.prefix(4))"
                repository.tags.append(SimTag(name: tag, commitSha: head))
                let id = (repository.releases.map(\.id).max() ?? 1_000_000) + 1
                repository.releases.append(
                    SimRelease(id: id, tagName: tag, name: tag, createdAt: now, publishedAt: now, targetCommitish: repository.defaultBranch))
                key = tag
            case .issueOpened:
                let number = (repository.issues.map(\.number).max() ?? 0) + 1
                let id = (repository.issues.map(\.id).max() ?? 1_000_000) + 1
                let incident = Int(sha.prefix(2), radix: 16).map { $0 % 4 == 0 } ?? false
                repository.issues.append(
                    SimIssue(
                        id: id, number: number, title: incident ? "Production incident \(number)" : "Issue \(number)",
                        labels: incident ? ["incident"] : ["enhancement"], createdAt: now))
                key = String(number)
            case .issueClosed:
                guard let open = repository.issues.indices.last(where: { repository.issues[$0].state == "open" && !repository.issues[$0].isPullRequest })
                else { return }
                repository.issues[open].state = "closed"
                repository.issues[open].stateReason = "completed"
                repository.issues[open].closedAt = max(now, repository.issues[open].createdAt)
                repository.issues[open].updatedAt = max(now, repository.issues[open].createdAt)
                closed = repository.issues[open]
                key = String(repository.issues[open].number)
            case .workflowRun:
                guard let head = repository.headSha, let workflow = repository.workflows.first else { return }
                let id = (repository.runs.map(\.id).max() ?? 1_000_000) + 1
                let number = (repository.runs.filter { $0.workflowId == workflow.id }.map(\.runNumber).max() ?? 0) + 1
                let failed = Int(sha.suffix(2), radix: 16).map { $0 % 5 == 0 } ?? false
                repository.runs.append(
                    SimWorkflowRun(
                        id: id, workflowId: workflow.id, name: workflow.name, headBranch: repository.defaultBranch, headSha: head,
                        conclusion: failed ? "failure" : "success", runNumber: number, createdAt: now.addingTimeInterval(-60),
                        runStartedAt: now.addingTimeInterval(-60), updatedAt: now))
                key = String(id)
            }
        }
        guard !key.isEmpty, let repository = github.repository(fullName) else { return nil }
        let payloads = WebhookPayloads(repository: repository)
        let deliveries: [WebhookDelivery]
        switch kind {
        case .commit:
            deliveries = [payloads.push(before: before, after: key)]
        case .release:
            deliveries = [payloads.createTag(key), payloads.releasePublished(key)]
        case .issueOpened:
            deliveries = [payloads.issues(action: "opened", number: Int(key) ?? 0)]
        case .issueClosed:
            deliveries = closed.map { [payloads.issues(action: "closed", number: $0.number)] } ?? []
        case .workflowRun:
            deliveries = [payloads.workflowRunCompleted(id: Int(key) ?? 0)]
        }
        return LiveChange(repository: repository.fullName, kind: kind, key: key, deliveries: deliveries)
    }
}
