import Foundation

/// A successful deployment before `asOf`, as the configured source yields it.
struct DeploymentFact {
    var key: String
    var origin: DeploymentTimeline.Origin
    var name: String
    /// Empty when the source gave no commit (a release whose tag could not be resolved).
    var sha: String
    var time: Double
}

/// A failed deployment attempt before `asOf` (sources `workflow` and `deployments`).
struct FailedAttemptFact {
    var key: String
    var origin: DeploymentTimeline.Origin
    var sha: String
    var time: Double
}

/// Turns the configured deployment source into deployments and failed attempts dated before `asOf`,
/// deployments ordered by (time, commit sha, key).
enum DeploymentCollector {
    static func collect(
        _ data: RepositoryData, definitions: DoraDefinitions, asOf: Double
    ) throws(DoraError) -> (deployments: [DeploymentFact], failed: [FailedAttemptFact]) {
        let pattern: SearchPattern? =
            if let text = definitions.deploymentPattern, !text.isEmpty {
                try SearchPattern(text, option: "deploymentPattern")
            } else {
                nil
            }
        func accepted(_ text: String) -> Bool { pattern?.matches(text) ?? true }

        var deployments: [DeploymentFact] = []
        var failed: [FailedAttemptFact] = []
        switch definitions.deploymentSource {
        case .releases(let includePrereleases):
            for release in data.releases where !release.draft && (includePrereleases || !release.prerelease) {
                guard let published = release.publishedAt?.timeIntervalSince1970, published < asOf,
                    accepted(release.tagName)
                else { continue }
                deployments.append(
                    DeploymentFact(
                        key: "release:\(release.id)", origin: .release(id: release.id), name: release.tagName,
                        sha: release.commitSha ?? "", time: published))
            }
        case .tags:
            var committedAt: [String: Double] = [:]
            committedAt.reserveCapacity(data.commits.count)
            let wanted = Set(data.tags.lazy.filter { $0.taggerDate == nil }.map(\.commitSha))
            if !wanted.isEmpty {
                for commit in data.commits where wanted.contains(commit.sha) {
                    committedAt[commit.sha] = committedAt[commit.sha] ?? commit.committedAt.timeIntervalSince1970
                }
            }
            for tag in data.tags where accepted(tag.name) {
                // A lightweight tag on an unknown commit cannot be dated: it is skipped.
                guard let time = tag.taggerDate?.timeIntervalSince1970 ?? committedAt[tag.commitSha], time < asOf
                else { continue }
                deployments.append(
                    DeploymentFact(key: "tag:\(tag.name)", origin: .tag(name: tag.name), name: tag.name, sha: tag.commitSha, time: time))
            }
        case .workflow(let names):
            let selection = DeployingRunSelection(data: data, trackedBranch: definitions.trackedBranch, asOf: asOf)
            let runs = data.workflowRuns.filter {
                WorkflowSelector.matches($0, names: names) && accepted($0.workflowName) && selection.counts($0)
            }
            for run in WorkflowSelector.latestCompletedRuns(runs, asOf: asOf) {
                let time = run.updatedAt.timeIntervalSince1970
                switch run.conclusion {
                case "success":
                    deployments.append(
                        DeploymentFact(
                            key: "run:\(run.id)", origin: .workflowRun(id: run.id), name: run.workflowName,
                            sha: run.headSha, time: time))
                case "failure", "timed_out":
                    failed.append(
                        FailedAttemptFact(key: "run:\(run.id)", origin: .workflowRun(id: run.id), sha: run.headSha, time: time))
                default:
                    continue
                }
            }
        case .deployments(let environmentPattern):
            let environment = try SearchPattern(environmentPattern, option: "environmentPattern")
            for deployment in data.deployments where environment.matches(deployment.environment) && accepted(deployment.environment) {
                switch DeploymentOutcome.of(deployment, asOf: asOf) {
                case .succeeded(let time):
                    deployments.append(
                        DeploymentFact(
                            key: "deployment:\(deployment.id)", origin: .deployment(id: deployment.id),
                            name: deployment.environment, sha: deployment.sha, time: time))
                case .failed(let time):
                    failed.append(
                        FailedAttemptFact(
                            key: "deployment:\(deployment.id)", origin: .deployment(id: deployment.id), sha: deployment.sha,
                            time: time))
                case .pending:
                    continue
                }
            }
        }
        deployments.sort { ($0.time, $0.sha, $0.key) < ($1.time, $1.sha, $1.key) }
        failed.sort { ($0.time, $0.sha, $0.key) < ($1.time, $1.sha, $1.key) }
        return (deployments, failed)
    }
}
