import Foundation

/// The DORA engine: `docs/dora.md`, exactly. Pure: inputs in, results out; no I/O, no clock.
///
/// Lead time is computed in one walk over the commit graph that is linear in commits + deployments
/// over the whole history (see `docs/dora.md`).
public enum DoraEngine {
    /// Computes every metric for each window at `asOf`; a window the synced history (`data.coverage`) does not
    /// cover is incomplete and has no numbers (`CoverageCheck` states the rule).
    public static func report(
        for data: RepositoryData, definitions: DoraDefinitions, windows: [DoraWindow], asOf: Date
    ) throws(DoraError) -> RepositoryReport {
        let analysis = try DoraAnalysis(data: data, definitions: definitions, asOf: asOf)
        let calculator = try WindowCalculator(analysis: analysis, data: data)
        var results: [WindowResult] = []
        results.reserveCapacity(windows.count)
        for window in windows {
            results.append(try calculator.result(for: window))
        }
        var report = RepositoryReport(
            repository: data.repository, asOf: asOf, definitions: definitions, openIncidents: analysis.openIncidents,
            hasDeployments: analysis.hasDeployments, coverage: data.coverage, windowResults: results)
        report.incidents = incidents(of: analysis)
        return report
    }

    /// The incidents known at `asOf`, oldest first, with their source and attribution.
    static func incidents(of a: DoraAnalysis) -> [DeploymentTimeline.Incident] {
        a.incidents.map {
            DeploymentTimeline.Incident(
                number: $0.number, openedAt: Date(timeIntervalSince1970: $0.opened),
                closedAt: $0.closed.map { Date(timeIntervalSince1970: $0) },
                attributedTo: $0.attributedTo.map { a.deployments[$0].key }, origin: $0.origin,
                alertNames: $0.alertNames, generatorURLs: $0.generatorURLs, issueNumbers: $0.issueNumbers)
        }
    }

    /// The derived deployment facts (first-deployed commits with lead times, attributions) at `asOf`.
    public static func timeline(
        for data: RepositoryData, definitions: DoraDefinitions, asOf: Date
    ) throws(DoraError) -> DeploymentTimeline {
        let a = try DoraAnalysis(data: data, definitions: definitions, asOf: asOf)
        let deployments = a.deployments.enumerated().map { d, fact in
            let commits = a.firstDeployed[a.firstDeployedStart[d]..<a.firstDeployedStart[d + 1]].map { commit in
                DeploymentTimeline.FirstDeployedCommit(
                    sha: a.graph.shas[Int(commit)], leadTimeSeconds: fact.time - a.graph.times[Int(commit)])
            }
            return DeploymentTimeline.Deployment(
                key: fact.key, origin: fact.origin, name: fact.name, commitSha: fact.sha,
                time: Date(timeIntervalSince1970: fact.time), tracked: a.commitIndex[d] >= 0, isBaseline: d == 0,
                firstDeployed: commits)
        }
        let failed = a.failed.map {
            DeploymentTimeline.FailedAttempt(
                key: $0.key, origin: $0.origin, commitSha: $0.sha, time: Date(timeIntervalSince1970: $0.time))
        }
        return DeploymentTimeline(deployments: deployments, failedAttempts: failed, incidents: incidents(of: a))
    }

    /// The `workflow` source's run selection at `asOf`: how many completed runs of the deploying workflows
    /// there are, how many count, and why the others do not. Nil for other deployment sources.
    public static func workflowRunSelection(
        for data: RepositoryData, definitions: DoraDefinitions, asOf: Date
    ) throws(DoraError) -> WorkflowRunSelection? {
        guard case .workflow(let names) = definitions.deploymentSource else { return nil }
        let pattern: SearchPattern? =
            if let text = definitions.deploymentPattern, !text.isEmpty {
                try SearchPattern(text, option: "deploymentPattern")
            } else {
                nil
            }
        let cutoff = asOf.timeIntervalSince1970
        let selection = DeployingRunSelection(data: data, trackedBranch: definitions.trackedBranch, asOf: cutoff)
        let runs = WorkflowSelector.latestCompletedRuns(
            data.workflowRuns.filter {
                WorkflowSelector.matches($0, names: names) && (pattern?.matches($0.workflowName) ?? true)
            }, asOf: cutoff)
        var counted = 0
        var excluded: [String?: (runs: Int, reason: WorkflowRunSelection.Reason)] = [:]
        for run in runs {
            switch selection.verdict(run) {
            case .trackedBranch, .tagOnGraph:
                counted += 1
            case .tagOffGraph:
                excluded[run.headBranch, default: (0, .tagNotOnTrackedBranch)].runs += 1
            case .otherBranch:
                excluded[run.headBranch, default: (0, .neitherTrackedBranchNorTag)].runs += 1
            }
        }
        let list = excluded.map { WorkflowRunSelection.ExcludedBranch(headBranch: $0.key, runs: $0.value.runs, reason: $0.value.reason) }
            .sorted { ($1.runs, $0.headBranch ?? "") < ($0.runs, $1.headBranch ?? "") }
        return WorkflowRunSelection(completedRuns: runs.count, countedRuns: counted, excluded: list)
    }
}
