import Foundation

/// Derives issues, pull requests, workflows, runs and deployments from a commit history, deterministically.
struct ActivityGenerator {
    struct Activity {
        var issues: [SimIssue]
        var workflows: [SimWorkflow]
        var runs: [SimWorkflowRun]
        var deployments: [SimDeployment]
    }

    static let ciWorkflowOffset = 1
    static let deployWorkflowOffset = 2
    static let nightlyWorkflowOffset = 3

    static func derive(
        _ shape: inout HistoryShape, repositoryID: Int, deployStyle: SimulatedDeployStyle = .onRelease,
        profile: SimulatedTeamProfile = .standard, rng: inout SplitMix64
    ) -> Activity {
        let now = shape.now
        let nowSeconds = now.timeIntervalSince1970
        let commits = shape.commits
        let start = commits.first?.committerDate ?? now.addingTimeInterval(-30 * 86_400)
        let logins = Array(Set(commits.compactMap(\.authorLogin))).sorted()
        let loginPool = logins.isEmpty ? ["octocat"] : logins
        func anyLogin() -> String { loginPool[rng.int(0...loginPool.count - 1)] }
        func clampNow(_ seconds: Double) -> Date { Date(timeIntervalSince1970: min(nowSeconds, seconds.rounded())) }

        // Issues and pull requests, numbered together by creation time.
        struct Item {
            var issue: SimIssue
            var mergeIndex: Int?
            var branch: String?
        }
        var items: [Item] = []
        items.reserveCapacity(commits.count / 5 + shape.merges.count + 8)
        for merge in shape.merges {
            let mergeCommit = commits[merge.mergeIndex]
            let first = merge.featureIndices.first.map { commits[$0] } ?? mergeCommit
            let created = min(mergeCommit.committerDate.timeIntervalSince1970, first.committerDate.timeIntervalSince1970 + rng.seconds(60...7200))
            let merged = mergeCommit.committerDate
            let updated = clampNow(merged.timeIntervalSince1970 + rng.seconds(0...3600))
            let roll = rng.unit()
            let labels = roll < 0.3 ? ["enhancement"] : roll < 0.5 ? [rng.chance(0.5) ? "bug" : "Bug"] : []
            let issue = SimIssue(
                id: 0, number: 0, title: CommitGenerator.message(&rng), labels: labels, state: "closed", stateReason: nil,
                createdAt: Date(timeIntervalSince1970: created.rounded()), updatedAt: max(updated, merged), closedAt: merged,
                isPullRequest: true, userLogin: first.authorLogin ?? anyLogin(), mergedAt: merged)
            items.append(Item(issue: issue, mergeIndex: merge.mergeIndex, branch: merge.branchName))
        }
        if !commits.isEmpty {
            for _ in 0..<3 {
                let created = clampNow(nowSeconds - rng.seconds(3600...(5 * 86_400)))
                let issue = SimIssue(
                    id: 0, number: 0, title: CommitGenerator.message(&rng), labels: [], state: "open", createdAt: created,
                    updatedAt: clampNow(created.timeIntervalSince1970 + rng.seconds(0...3600)), isPullRequest: true,
                    userLogin: anyLogin())
                items.append(Item(issue: issue))
            }
        }
        let issueCount = commits.count / 5
        let span = max(3600, nowSeconds - start.timeIntervalSince1970)
        for _ in 0..<issueCount {
            let created = start.timeIntervalSince1970 + rng.unit() * span
            items.append(Item(issue: makeIssue(created: created, now: nowSeconds, login: anyLogin(), profile: profile, rng: &rng)))
        }
        if !commits.isEmpty {
            for _ in 0..<profile.incidentsOpenNow {
                let created = nowSeconds - rng.seconds(1800...(12 * 3600))
                items.append(Item(issue: openIncident(created: created, now: nowSeconds, login: anyLogin(), rng: &rng)))
            }
        }
        items.sort { ($0.issue.createdAt, $0.issue.isPullRequest ? 0 : 1) < ($1.issue.createdAt, $1.issue.isPullRequest ? 0 : 1) }
        var issues: [SimIssue] = []
        issues.reserveCapacity(items.count)
        for (offset, item) in items.enumerated() {
            var issue = item.issue
            issue.number = offset + 1
            issue.id = 1_000_000_000 + repositoryID % 1_000_000 * 1000 + offset + 1
            if let mergeIndex = item.mergeIndex, let branch = item.branch {
                shape.commits[mergeIndex].message = "Merge pull request #\(issue.number) from \(branch)\n\n\(issue.title)"
            }
            issues.append(issue)
        }

        // Workflows.
        let workflowBase = 10_000_000 + repositoryID % 1_000_000 * 10
        let ciID = workflowBase + ciWorkflowOffset
        let deployID = workflowBase + deployWorkflowOffset
        let nightlyID = workflowBase + nightlyWorkflowOffset
        let nightlyDisabledAt = Date(timeIntervalSince1970: (start.timeIntervalSince1970 + span * 0.3).rounded())
        let workflows = [
            SimWorkflow(id: ciID, name: "CI", path: ".github/workflows/ci.yml", state: "active", createdAt: start, updatedAt: start),
            SimWorkflow(id: deployID, name: "Deploy", path: ".github/workflows/deploy.yml", state: "active", createdAt: start, updatedAt: start),
            SimWorkflow(id: nightlyID, name: "Nightly Benchmarks", path: ".github/workflows/nightly.yml", state: "disabled_manually", createdAt: start, updatedAt: nightlyDisabledAt),
        ]

        // Runs.
        var runs: [SimWorkflowRun] = []
        runs.reserveCapacity(shape.mainIndices.count + commits.count / 4)
        func completeRun(_ run: inout SimWorkflowRun, duration: Double) {
            let end = run.runStartedAt.timeIntervalSince1970 + duration
            if end <= nowSeconds {
                run.updatedAt = Date(timeIntervalSince1970: end.rounded())
            } else if run.runStartedAt.timeIntervalSince1970 <= nowSeconds {
                run.status = "in_progress"
                run.conclusion = nil
                run.updatedAt = run.runStartedAt
            } else {
                run.status = "queued"
                run.conclusion = nil
                run.runStartedAt = run.createdAt
                run.updatedAt = run.createdAt
            }
        }
        var failing = false
        let mainCount = shape.mainIndices.count
        for (position, index) in shape.mainIndices.enumerated() {
            let commit = commits[index]
            let recent = position >= mainCount - 3
            guard recent || rng.chance(0.9) else { continue }
            failing = failing ? rng.chance(0.55) : rng.chance(0.07)
            let created = clampNow(commit.committerDate.timeIntervalSince1970 + rng.seconds(5...90))
            var run = SimWorkflowRun(
                id: 0, workflowId: ciID, name: "CI", headBranch: shape.defaultBranch, headSha: commit.sha, event: "push",
                status: "completed", conclusion: failing ? "failure" : (rng.chance(0.01) ? "cancelled" : "success"),
                runNumber: 0, createdAt: created, runStartedAt: clampNow(created.timeIntervalSince1970 + rng.seconds(2...30)),
                actorLogin: commit.committerLogin ?? commit.authorLogin ?? anyLogin())
            if rng.chance(0.05) {
                run.runAttempt = 2
                run.runStartedAt = Date(timeIntervalSince1970: (created.timeIntervalSince1970 + rng.seconds(900...10_800)).rounded())
                run.conclusion = rng.chance(0.8) ? "success" : "failure"
            }
            completeRun(&run, duration: rng.seconds(180...900))
            if position == mainCount - 1 {
                run.status = "queued"
                run.conclusion = nil
                run.runAttempt = 1
                run.runStartedAt = run.createdAt
                run.updatedAt = run.createdAt
            } else if position >= mainCount - 3 {
                run.status = "in_progress"
                run.conclusion = nil
                run.runAttempt = 1
                run.runStartedAt = min(run.runStartedAt, now)
                run.updatedAt = run.runStartedAt
            }
            runs.append(run)
        }
        for merge in shape.merges {
            for (offset, index) in merge.featureIndices.enumerated() {
                let commit = commits[index]
                let isTip = offset == merge.featureIndices.count - 1
                let events = isTip ? ["push", "pull_request"] : ["push"]
                for event in events where rng.chance(0.85) {
                    let created = clampNow(commit.committerDate.timeIntervalSince1970 + rng.seconds(5...120))
                    var run = SimWorkflowRun(
                        id: 0, workflowId: ciID, name: "CI", headBranch: merge.branchName, headSha: commit.sha, event: event,
                        conclusion: rng.chance(0.2) ? "failure" : "success", runNumber: 0, createdAt: created,
                        runStartedAt: clampNow(created.timeIntervalSince1970 + rng.seconds(2...30)),
                        actorLogin: commit.authorLogin ?? anyLogin())
                    completeRun(&run, duration: rng.seconds(180...900))
                    runs.append(run)
                }
            }
        }
        // A few scheduled runs of the workflow that was later disabled.
        if mainCount > 0 {
            for k in 0..<10 {
                let index = shape.mainIndices[min(mainCount - 1, mainCount * k / 40)]
                let commit = commits[index]
                let created = min(nightlyDisabledAt, commit.committerDate).addingTimeInterval(Double(k))
                var run = SimWorkflowRun(
                    id: 0, workflowId: nightlyID, name: "Nightly Benchmarks", headBranch: shape.defaultBranch,
                    headSha: commit.sha, event: "schedule", conclusion: rng.chance(0.3) ? "failure" : "success", runNumber: 0,
                    createdAt: created, runStartedAt: created.addingTimeInterval(rng.seconds(2...30).rounded()),
                    actorLogin: loginPool[0])
                completeRun(&run, duration: rng.seconds(600...1800))
                runs.append(run)
            }
        }

        var deployments: [SimDeployment] = []
        if deployStyle == .onTagPush {
            deployOnTagPush(
                shape, deployID: deployID, failureScale: profile.deploymentFailureScale, runs: &runs, deployments: &deployments,
                rng: &rng)
        }

        // Deploy runs and deployments for published releases.
        let commitIndex = Dictionary(commits.enumerated().map { ($1.sha, $0) }, uniquingKeysWith: { first, _ in first })
        let tagCommit = Dictionary(shape.tags.map { ($0.name, $0.commitSha) }, uniquingKeysWith: { first, _ in first })
        let published = deployStyle != .onRelease ? [] : shape.releases.filter { !$0.draft && $0.publishedAt != nil }.sorted { $0.publishedAt! < $1.publishedAt! }
        for release in published {
            guard let publishedAt = release.publishedAt, let sha = tagCommit[release.tagName] else { continue }
            let actor = commitIndex[sha].flatMap { commits[$0].authorLogin } ?? loginPool[0]
            let created = clampNow(publishedAt.timeIntervalSince1970 + rng.seconds(5...60))
            var run = SimWorkflowRun(
                id: 0, workflowId: deployID, name: "Deploy", headBranch: release.tagName, headSha: sha, event: "release",
                conclusion: "success", runNumber: 0, createdAt: created,
                runStartedAt: clampNow(created.timeIntervalSince1970 + rng.seconds(2...30)), actorLogin: actor)
            if rng.chance(0.08 * profile.deploymentFailureScale) {
                if rng.chance(0.5) {
                    run.conclusion = "failure"
                } else {
                    run.runAttempt = 2
                    run.runStartedAt = clampNow(created.timeIntervalSince1970 + rng.seconds(600...3600))
                }
            }
            completeRun(&run, duration: rng.seconds(120...1200))
            runs.append(run)

            // Staging, then production once staging succeeded.
            let stagingCreated = run.runStartedAt.timeIntervalSince1970 + rng.seconds(30...180)
            guard stagingCreated <= nowSeconds else { continue }
            var staging = SimDeployment(
                id: 0, sha: sha, ref: release.tagName, environment: "staging",
                createdAt: Date(timeIntervalSince1970: stagingCreated.rounded()), creatorLogin: actor)
            let stagingEnd = stagingCreated + rng.seconds(60...300)
            staging.statuses.append(SimDeploymentStatus(id: 0, state: "in_progress", createdAt: Date(timeIntervalSince1970: (stagingCreated + 5).rounded())))
            let stagingOK = run.conclusion != "failure"
            if stagingEnd <= nowSeconds && run.status == "completed" {
                staging.statuses.append(
                    SimDeploymentStatus(
                        id: 0, state: stagingOK ? "success" : (rng.chance(0.7) ? "failure" : "error"),
                        createdAt: Date(timeIntervalSince1970: stagingEnd.rounded())))
            }
            deployments.append(staging)
            guard stagingOK, !release.prerelease, stagingEnd <= nowSeconds else { continue }
            var productionCreated = stagingEnd + rng.seconds(600...86_400)
            var attempt = 0
            while productionCreated <= nowSeconds && attempt < 3 {
                attempt += 1
                var production = SimDeployment(
                    id: 0, sha: sha, ref: release.tagName, environment: "production",
                    createdAt: Date(timeIntervalSince1970: productionCreated.rounded()), creatorLogin: actor)
                production.statuses.append(SimDeploymentStatus(id: 0, state: "in_progress", createdAt: Date(timeIntervalSince1970: (productionCreated + 5).rounded())))
                let end = productionCreated + rng.seconds(120...900)
                var failed = false
                if end <= nowSeconds {
                    let roll = rng.unit()
                    let scale = profile.deploymentFailureScale
                    let state = attempt < 3 && roll < 0.05 * scale ? "failure" : attempt < 3 && roll < 0.08 * scale ? "error" : "success"
                    failed = state != "success"
                    production.statuses.append(SimDeploymentStatus(id: 0, state: state, createdAt: Date(timeIntervalSince1970: end.rounded())))
                }
                deployments.append(production)
                guard failed else { break }
                productionCreated = end + rng.seconds(1800...7200)
            }
        }
        // One deployment of the branch head still in flight.
        if let head = commits.last {
            let created = clampNow(head.committerDate.timeIntervalSince1970 + rng.seconds(60...240))
            deployments.append(
                SimDeployment(
                    id: 0, sha: head.sha, ref: shape.defaultBranch, environment: "staging", createdAt: created,
                    statuses: [SimDeploymentStatus(id: 0, state: "in_progress", createdAt: created)],
                    creatorLogin: head.authorLogin ?? loginPool[0]))
        }

        runs.sort { ($0.createdAt, $0.workflowId, $0.headSha) < ($1.createdAt, $1.workflowId, $1.headSha) }
        var runNumbers: [Int: Int] = [:]
        let runBase = 3_000_000_000 + repositoryID % 1_000_000 * 1_000_000
        for i in runs.indices {
            runs[i].id = runBase + i + 1
            let number = (runNumbers[runs[i].workflowId] ?? 0) + 1
            runNumbers[runs[i].workflowId] = number
            runs[i].runNumber = number
        }
        deployments.sort { ($0.createdAt, $0.environment) < ($1.createdAt, $1.environment) }
        let deploymentBase = 500_000_000 + repositoryID % 1_000_000 * 1000
        var statusID = 900_000_000 + repositoryID % 1_000_000 * 10_000
        for i in deployments.indices {
            deployments[i].id = deploymentBase + i + 1
            for j in deployments[i].statuses.indices {
                statusID += 1
                deployments[i].statuses[j].id = statusID
            }
        }
        return Activity(issues: issues, workflows: workflows, runs: runs, deployments: deployments)
    }

    /// Release-on-tag: a `Deploy` run per pushed tag (`head_branch` = tag name, event `push`), its attempts, and a
    /// GitHub Deployment to `prod` per attempt that got that far, with `auto_inactive`.
    static func deployOnTagPush(
        _ shape: HistoryShape, deployID: Int, failureScale: Double = 1, runs: inout [SimWorkflowRun],
        deployments: inout [SimDeployment], rng: inout SplitMix64
    ) {
        let nowSeconds = shape.now.timeIntervalSince1970
        let commitsBySha = Dictionary(shape.commits.map { ($0.sha, $0) }, uniquingKeysWith: { first, _ in first })
        let pushed = shape.tags.compactMap { tag -> (tag: SimTag, at: Double)? in
            guard let commit = commitsBySha[tag.commitSha] else { return nil }
            return (tag, (tag.taggerDate ?? commit.committerDate).timeIntervalSince1970)
        }.sorted { ($0.at, $0.tag.name) < ($1.at, $1.tag.name) }
        var successes: [(index: Int, at: Double)] = []
        for (tag, at) in pushed {
            let actor = commitsBySha[tag.commitSha]?.authorLogin ?? "octocat"
            let created = at + rng.seconds(3...40)
            guard created <= nowSeconds else { continue }
            // The conclusions of the run's attempts, oldest first: most succeed at once, some fail and are left
            // (the next tag recovers), some are re-run until they succeed.
            let roll = rng.unit() / failureScale
            let attempts: [String] =
                roll < 0.10 ? ["failure"]
                : roll < 0.16 ? ["failure", "success"]
                : roll < 0.18 ? ["failure", "timed_out", "success"]
                : roll < 0.20 ? ["timed_out"]
                : roll < 0.22 ? ["cancelled"]
                : ["success"]
            var start = created + rng.seconds(2...30)
            var run = SimWorkflowRun(
                id: 0, workflowId: deployID, name: "Deploy", headBranch: tag.name, headSha: tag.commitSha, event: "push",
                conclusion: attempts[0], runNumber: 0, createdAt: Date(timeIntervalSince1970: created.rounded()),
                runStartedAt: Date(timeIntervalSince1970: start.rounded()), actorLogin: actor)
            run.status = "queued"
            run.conclusion = nil
            run.runStartedAt = run.createdAt
            run.updatedAt = run.createdAt
            for (number, conclusion) in attempts.enumerated() {
                guard start <= nowSeconds else { break }
                let end = start + rng.seconds(120...1200)
                run.runAttempt = number + 1
                run.runStartedAt = Date(timeIntervalSince1970: start.rounded())
                let finished = end <= nowSeconds
                run.status = finished ? "completed" : "in_progress"
                run.conclusion = finished ? conclusion : nil
                run.updatedAt = Date(timeIntervalSince1970: (finished ? end : start).rounded())
                // The job reaches the environment (a deployment) unless cancelled before it.
                if conclusion != "cancelled" {
                    let deploymentCreated = start + rng.seconds(20...60)
                    if deploymentCreated <= nowSeconds {
                        var deployment = SimDeployment(
                            id: 0, sha: tag.commitSha, ref: tag.name, environment: "prod",
                            createdAt: Date(timeIntervalSince1970: deploymentCreated.rounded()), creatorLogin: actor)
                        deployment.statuses.append(
                            SimDeploymentStatus(id: 0, state: "in_progress", createdAt: Date(timeIntervalSince1970: (deploymentCreated + 2).rounded())))
                        if finished {
                            let state = conclusion == "success" ? "success" : conclusion == "timed_out" ? "error" : "failure"
                            deployment.statuses.append(SimDeploymentStatus(id: 0, state: state, createdAt: Date(timeIntervalSince1970: end.rounded())))
                            if state == "success" { successes.append((deployments.count, end.rounded())) }
                        }
                        deployments.append(deployment)
                    }
                }
                start = end + rng.seconds(600...7200)
            }
            runs.append(run)
        }
        // auto_inactive: when a deployment succeeds, the earlier successful ones of the environment turn inactive.
        successes.sort { ($0.at, $0.index) < ($1.at, $1.index) }
        for (earlier, later) in zip(successes, successes.dropFirst()) where later.at > earlier.at {
            deployments[earlier.index].statuses.append(
                SimDeploymentStatus(id: 0, state: "inactive", createdAt: Date(timeIntervalSince1970: later.at)))
        }
        // Manual runs from feature branches (`workflow_dispatch`): never a deployment of the tracked branch.
        for merge in shape.merges where rng.chance(0.08) {
            guard let tip = merge.featureIndices.last else { continue }
            let commit = shape.commits[tip]
            let created = commit.committerDate.timeIntervalSince1970 + rng.seconds(300...3600)
            let end = created + rng.seconds(120...900)
            guard end <= nowSeconds else { continue }
            runs.append(
                SimWorkflowRun(
                    id: 0, workflowId: deployID, name: "Deploy", headBranch: merge.branchName, headSha: commit.sha,
                    event: "workflow_dispatch", conclusion: rng.chance(0.7) ? "success" : "failure", runNumber: 0,
                    createdAt: Date(timeIntervalSince1970: created.rounded()),
                    runStartedAt: Date(timeIntervalSince1970: (created + 5).rounded()),
                    updatedAt: Date(timeIntervalSince1970: end.rounded()), actorLogin: commit.authorLogin ?? "octocat"))
        }
    }
}
