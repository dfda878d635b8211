import Foundation

/// Whether the synced history holds everything a window reads (spec v1.2, "Coverage"), so that a window the
/// history does not cover is reported as incomplete instead of as a number computed from part of the data.
///
/// With `.complete` coverage every window is complete and nothing is checked; with `.none` none is. With
/// `.partial(from: F)` the history holds every commit (by committer date), deployment, release, tag and issue
/// updated at or after `F`, every run completed at or after `F`, and every issue open now; anything older may be
/// missing. A window `[s, asOf)` is then complete only when each of these holds (the first that fails is the
/// `IncompleteWindow.Reason`):
///
/// 1. It is not `all`, whose start is the first deployment ever (`wholeHistory`).
/// 2. `F <= s - attributionWindow`: every deployment an incident opened in the window may be attributed to,
///    and every deployment, failed attempt, incident and CI run dated in the window, is synced
///    (`beforeCoverage`).
/// 3. Some deployment is synced, or "no deployment before `asOf`" (which leaves deployment frequency ungraded)
///    could be wrong (`deploymentsUnknown`).
/// 4. If the window has deployments, the one before its first is synced and dated at or after `F`: otherwise
///    the first could be taken for the baseline, or an unsynced deployment could have come between
///    (`previousDeployment`).
/// 5. No deploying workflow run (source `workflow`) dated at or after `s - attributionWindow` was left out
///    because its tag's commit is not in the graph: the commit may be older than `F` (`unresolvedRuns`).
/// 6. Every commit the window's deployments first-deploy (the first-deployed walk) is committed at or after `F`
///    and has every parent synced, and each deployment's commit is synced. A commit committed before `F` may
///    have been deployed by a deployment that is not synced; a parent that is not synced means unknown history
///    (`deploymentCommits`).
/// 7. Every incident resolved in the window (its recovery sample depends on its attribution) can be
///    attributed from synced deployments: the latest synced deployment at or before its opening, within the
///    attribution window, is at or after `F`, or there is none and `opened - attributionWindow >= F`
///    (`incidentAttribution`). Its time to restore needs only the issue, which is synced since it was updated
///    when it closed.
/// 8. Every CI failure streak on the tracked branch that begins in the window has a synced tracked run before
///    it at or after `F`; otherwise the streak may have begun earlier (`ciStreak`).
///
/// Incidents open at a deployment in the window (rework) are synced: they are open now or were closed (so
/// updated) after `s >= F`. A deployment's commit dated in the future of the deployment (clock skew) is taken
/// at its word, as everywhere in the engine.
struct CoverageCheck {
    let coverage: HistoryCoverage
    private let from: Double
    private let attributionWindow: Double
    /// Per deployment: whether what it first-deploys is known (rule 6).
    private let walkKnown: [Bool]
    /// Completion times of deploying runs left out only because their tag's commit is not in the graph (rule 5).
    private let unresolvedRunTimes: [Double]

    init(analysis a: DoraAnalysis, data: RepositoryData) throws(DoraError) {
        coverage = data.coverage
        attributionWindow = a.definitions.attributionWindow
        guard case .partial(let date) = data.coverage else {
            from = data.coverage.coveredFrom == nil ? -.infinity : .infinity
            walkKnown = []
            unresolvedRunTimes = []
            return
        }
        let from = date.timeIntervalSince1970
        self.from = from

        // Rule 6: a commit is known when committed at or after F with every parent synced.
        let synced = Set(data.commits.lazy.map(\.sha))
        var commitKnown = [Bool](repeating: false, count: a.graph.count)
        var seen = [Bool](repeating: false, count: a.graph.count)
        for commit in data.commits where commit.committedAt.timeIntervalSince1970 < a.asOf {
            // The graph keeps the first record of a duplicated sha: so does this.
            guard let index = a.graph.lookup(commit.sha), !seen[Int(index)] else { continue }
            seen[Int(index)] = true
            commitKnown[Int(index)] =
                commit.committedAt.timeIntervalSince1970 >= from && commit.parents.allSatisfy(synced.contains)
        }
        walkKnown = a.deployments.indices.map { d in
            let sha = a.deployments[d].sha
            // A commit not in the graph is off the tracked branch, or on it and older than F: unknown which.
            guard sha.isEmpty || a.commitIndex[d] >= 0 || synced.contains(sha) else { return false }
            return a.firstDeployed[a.firstDeployedStart[d]..<a.firstDeployedStart[d + 1]].allSatisfy { commitKnown[Int($0)] }
        }

        // Rule 5.
        var unresolved: [Double] = []
        if case .workflow(let names) = a.definitions.deploymentSource {
            let pattern: SearchPattern? =
                if let text = a.definitions.deploymentPattern, !text.isEmpty {
                    try SearchPattern(text, option: "deploymentPattern")
                } else {
                    nil
                }
            let selection = DeployingRunSelection(data: data, trackedBranch: a.definitions.trackedBranch, asOf: a.asOf)
            let runs = data.workflowRuns.filter {
                WorkflowSelector.matches($0, names: names) && (pattern?.matches($0.workflowName) ?? true)
                    && selection.verdict($0) == .tagOffGraph
            }
            for run in WorkflowSelector.latestCompletedRuns(runs, asOf: a.asOf)
            where ["success", "failure", "timed_out"].contains(run.conclusion ?? "") {
                unresolved.append(run.updatedAt.timeIntervalSince1970)
            }
        }
        unresolvedRunTimes = unresolved
    }

    /// Why the window `[start, asOf)` is not covered, or nil when it is.
    func reason(window: DoraWindow, start: Double, analysis a: DoraAnalysis, ci: [CIHealth]) -> IncompleteWindow.Reason? {
        switch coverage {
        case .complete: return nil
        case .none: return .nothingSynced
        case .partial: break
        }
        if window.length == nil { return .wholeHistory }
        if start - attributionWindow < from { return .beforeCoverage }
        if !a.hasDeployments { return .deploymentsUnknown }
        let first = DoraAnalysis.partition(a.deploymentTimes) { $0 < start }
        if first < a.deployments.count, first == 0 || a.deploymentTimes[first - 1] < from { return .previousDeployment }
        if unresolvedRunTimes.contains(where: { $0 >= start - attributionWindow }) { return .unresolvedRuns }
        if !walkKnown[first...].allSatisfy({ $0 }) { return .deploymentCommits }
        for incident in a.incidents {
            if let closed = incident.closed, closed >= start, !attributionKnown(opened: incident.opened, analysis: a) {
                return .incidentAttribution
            }
        }
        for workflow in ci {
            for recovery in workflow.recoveries where recovery.start >= start && (recovery.previous ?? -.infinity) < from {
                return .ciStreak
            }
        }
        return nil
    }

    /// Whether the deployment an incident opened at `opened` is attributed to (the latest at or before it, within
    /// the attribution window) is the same whatever older history is missing.
    private func attributionKnown(opened: Double, analysis a: DoraAnalysis) -> Bool {
        let upper = DoraAnalysis.partition(a.deploymentTimes) { $0 <= opened }
        // Any deployment missing from the data would have to lie in [lower, opened] to change the answer.
        let lower =
            if upper > 0, opened - a.deploymentTimes[upper - 1] <= attributionWindow {
                a.deploymentTimes[upper - 1]
            } else {
                opened - attributionWindow
            }
        return lower >= from && !unresolvedRunTimes.contains { $0 >= lower && $0 <= opened }
    }
}
