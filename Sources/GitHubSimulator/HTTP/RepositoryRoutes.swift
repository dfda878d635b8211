import Foundation

/// The endpoints under `/repos/{owner}/{repo}`.
struct RepositoryRoutes {
    let github: SimulatedGitHub
    let request: SimulatedHTTPRequest
    let baseURL: String
    let index: RepositoryIndex
    let renderer: GitHubRenderer

    typealias RouteResult = SimulatedGitHub.RouteResult

    var repository: SimulatedRepository { index.repository }
    var query: QueryItems { QueryItems(request.query) }

    static let queryCap = 1000
    static let cappingFilters = ["actor", "branch", "check_suite_id", "created", "event", "head_sha", "status"]
    static let runStatuses: Set<String> = ["queued", "in_progress", "completed", "waiting", "requested", "pending"]

    func notFound() -> RouteResult { SimulatedGitHub.errorResult(404, "Not Found") }

    func single(_ body: String) -> RouteResult { RouteResult(status: 200, body: body) }

    func route(_ rest: [String]) -> RouteResult {
        switch rest.first {
        case nil: return single(renderer.repositoryObject())
        case "commits": return rest.count == 1 ? commits() : commit(rest.dropFirst().joined(separator: "/"))
        case "tags": return rest.count == 1 ? tags() : notFound()
        case "releases": return releases(Array(rest.dropFirst()))
        case "git": return git(Array(rest.dropFirst()))
        case "issues": return issues(Array(rest.dropFirst()))
        case "actions": return actions(Array(rest.dropFirst()))
        case "deployments": return deployments(Array(rest.dropFirst()))
        default: return notFound()
        }
    }

    // MARK: Commits

    func commits() -> RouteResult {
        guard !repository.commits.isEmpty else { return SimulatedGitHub.errorResult(409, "Git Repository is empty.") }
        let start: Int
        if let sha = query.value("sha"), !sha.isEmpty {
            guard let resolved = index.resolve(sha) else {
                return SimulatedGitHub.errorResult(404, "No commit found for SHA: \(sha)")
            }
            start = resolved
        } else {
            start = repository.commits.count - 1
        }
        var order = index.order(from: start)
        let since = query.value("since")
        let until = query.value("until")
        if since != nil || until != nil {
            let sinceDate = since.flatMap(GitHubDate.parse)
            let untilDate = until.flatMap(GitHubDate.parse)
            if (since != nil && sinceDate == nil) || (until != nil && untilDate == nil) {
                return SimulatedGitHub.errorResult(400, "Invalid time: use ISO 8601 (YYYY-MM-DDTHH:MM:SSZ)")
            }
            let commits = repository.commits
            order = order.filter { i in
                let date = commits[i].committerDate
                if let sinceDate, date < sinceDate { return false }
                if let untilDate, date > untilDate { return false }
                return true
            }
        }
        return github.listPage(request, baseURL: baseURL, count: order.count) { renderer.commit(repository.commits[order[$0]]) }
    }

    func commit(_ ref: String) -> RouteResult {
        guard !repository.commits.isEmpty else { return SimulatedGitHub.errorResult(409, "Git Repository is empty.") }
        guard let position = index.resolve(ref) else {
            return SimulatedGitHub.errorResult(422, "No commit found for SHA: \(ref)")
        }
        return single(renderer.commit(repository.commits[position]))
    }

    // MARK: Tags and releases

    func tags() -> RouteResult {
        github.listPage(request, baseURL: baseURL, count: index.tagsOrdered.count) {
            renderer.tag(repository.tags[index.tagsOrdered[$0]])
        }
    }

    func releases(_ rest: [String]) -> RouteResult {
        let releases = repository.releases
        switch rest.first {
        case nil:
            return github.listPage(request, baseURL: baseURL, count: index.releasesOrdered.count) {
                renderer.release(releases[index.releasesOrdered[$0]])
            }
        case "latest" where rest.count == 1:
            let latest = index.releasesOrdered.map { releases[$0] }.first { !$0.draft && !$0.prerelease }
            return latest.map { single(renderer.release($0)) } ?? notFound()
        case "tags" where rest.count >= 2:
            let tag = rest.dropFirst().joined(separator: "/")
            let found = index.releasesOrdered.map { releases[$0] }.first { !$0.draft && $0.tagName == tag }
            return found.map { single(renderer.release($0)) } ?? notFound()
        default:
            guard rest.count == 1, let id = Int(rest[0]), let found = releases.first(where: { $0.id == id }) else { return notFound() }
            return single(renderer.release(found))
        }
    }

    // MARK: Git database

    func git(_ rest: [String]) -> RouteResult {
        guard let kind = rest.first else { return notFound() }
        switch kind {
        case "ref", "refs":
            guard rest.count >= 3 else { return notFound() }
            let name = rest.dropFirst(2).joined(separator: "/")
            if rest[1] == "tags", let tag = index.tagByName[name] {
                return single(renderer.gitRef(tag: repository.tags[tag]))
            }
            if rest[1] == "heads", name == repository.defaultBranch, let head = repository.headSha {
                return single(renderer.gitRef(branch: name, sha: head))
            }
            return notFound()
        case "matching-refs":
            guard rest.count >= 2, rest[1] == "tags" else { return rest.count >= 2 && rest[1] == "heads" ? headsMatching(rest) : notFound() }
            let prefix = rest.dropFirst(2).joined(separator: "/")
            let matching = repository.tags.indices.filter { repository.tags[$0].name.hasPrefix(prefix) }
                .sorted { repository.tags[$0].name < repository.tags[$1].name }
            if query.value("per_page") == nil && query.value("page") == nil {
                return single(JSONText.array(matching.map { renderer.gitRef(tag: repository.tags[$0]) }))
            }
            return github.listPage(request, baseURL: baseURL, count: matching.count) { renderer.gitRef(tag: repository.tags[matching[$0]]) }
        case "tags":
            guard rest.count == 2, let tag = index.tagByObjectSha[rest[1]] else { return notFound() }
            return single(renderer.gitTag(repository.tags[tag]))
        default:
            return notFound()
        }
    }

    func headsMatching(_ rest: [String]) -> RouteResult {
        let prefix = rest.dropFirst(2).joined(separator: "/")
        guard let head = repository.headSha, repository.defaultBranch.hasPrefix(prefix) else { return single("[]") }
        return single("[\(renderer.gitRef(branch: repository.defaultBranch, sha: head))]")
    }

    // MARK: Issues

    func issues(_ rest: [String]) -> RouteResult {
        let issues = repository.issues
        if rest.count == 1 {
            guard let number = Int(rest[0]), let found = issues.first(where: { $0.number == number }) else { return notFound() }
            return single(renderer.issue(found))
        }
        guard rest.isEmpty else { return notFound() }
        let state = query.value("state") ?? "open"
        guard ["open", "closed", "all"].contains(state) else {
            return SimulatedGitHub.errorResult(422, "Validation Failed: state must be open, closed or all")
        }
        let sort = query.value("sort") ?? "created"
        let ascending = (query.value("direction") ?? "desc") == "asc"
        var since: Date?
        if let text = query.value("since") {
            guard let parsed = GitHubDate.parse(text) else {
                return SimulatedGitHub.errorResult(422, "Validation Failed: since must be an ISO 8601 timestamp")
            }
            since = parsed
        }
        let wantedLabels = (query.value("labels") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }.filter { !$0.isEmpty }
        var selected = index.issuesByCreated.filter { i in
            let issue = issues[i]
            if state != "all" && issue.state != state { return false }
            if let since, issue.updatedAt < since { return false }
            if !wantedLabels.isEmpty {
                let have = Set(issue.labels.map { $0.lowercased() })
                if !wantedLabels.allSatisfy(have.contains) { return false }
            }
            return true
        }
        if sort == "updated" {
            selected.sort { (issues[$0].updatedAt, issues[$0].number) < (issues[$1].updatedAt, issues[$1].number) }
        }
        if !ascending { selected.reverse() }
        return github.listPage(request, baseURL: baseURL, count: selected.count) { renderer.issue(issues[selected[$0]]) }
    }

    // MARK: Actions

    func actions(_ rest: [String]) -> RouteResult {
        guard let kind = rest.first else { return notFound() }
        switch kind {
        case "workflows":
            let workflows = repository.workflows
            if rest.count == 1 {
                return github.listPage(
                    request, baseURL: baseURL, count: workflows.count,
                    wrap: { #"{"total_count":\#(workflows.count),"workflows":\#($0)}"# }
                ) { renderer.workflow(workflows[$0]) }
            }
            let id = rest[1]
            guard let workflow = workflows.first(where: { String($0.id) == id || $0.path.split(separator: "/").last.map(String.init) == id }) else {
                return notFound()
            }
            if rest.count == 2 { return single(renderer.workflow(workflow)) }
            guard rest.count == 3, rest[2] == "runs" else { return notFound() }
            return runs(workflowID: workflow.id)
        case "runs":
            if rest.count == 1 { return runs(workflowID: nil) }
            guard rest.count == 2, let id = Int(rest[1]), let position = index.runByID[id] else { return notFound() }
            return single(renderer.run(repository.runs[position], minimalRepository: renderer.minimalRepository()))
        default:
            return notFound()
        }
    }

    func runs(workflowID: Int?) -> RouteResult {
        let runs = repository.runs
        let query = self.query
        let capped = Self.cappingFilters.contains { query.value($0) != nil }
        let branch = query.value("branch")
        let event = query.value("event")
        let status = query.value("status")
        let headSha = query.value("head_sha")
        let actor = query.value("actor")?.lowercased()
        let checkSuite = query.int("check_suite_id")
        var created: CreatedFilter?
        if let text = query.value("created") {
            guard let parsed = CreatedFilter(text) else {
                return SimulatedGitHub.errorResult(422, "Validation Failed: created must use GitHub's date syntax (>=YYYY-MM-DD, A..B)")
            }
            created = parsed
        }
        let filtering = capped || workflowID != nil
        let selected: [Int] = filtering
            ? index.runsNewestFirst.filter { i in
                let run = runs[i]
                if let workflowID, run.workflowId != workflowID { return false }
                if let branch, run.headBranch != branch { return false }
                if let event, run.event != event { return false }
                if let headSha, run.headSha != headSha { return false }
                if let actor, run.actorLogin.lowercased() != actor { return false }
                if let checkSuite, run.id * 2 + 1 != checkSuite { return false }
                if let status {
                    if Self.runStatuses.contains(status) ? run.status != status : run.conclusion != status { return false }
                }
                if let created, !created.contains(run.createdAt) { return false }
                return true
            }
            : index.runsNewestFirst
        let minimal = renderer.minimalRepository()
        let total = selected.count
        return github.listPage(
            request, baseURL: baseURL, count: total, cap: capped ? Self.queryCap : nil,
            wrap: { #"{"total_count":\#(total),"workflow_runs":\#($0)}"# }
        ) { renderer.run(runs[selected[$0]], minimalRepository: minimal) }
    }

    // MARK: Deployments

    func deployments(_ rest: [String]) -> RouteResult {
        let deployments = repository.deployments
        if rest.isEmpty {
            let environment = query.value("environment")
            let sha = query.value("sha")
            let ref = query.value("ref")
            let task = query.value("task")
            let selected = index.deploymentsNewestFirst.filter { i in
                let d = deployments[i]
                if let environment, d.environment != environment { return false }
                if let sha, d.sha != sha { return false }
                if let ref, d.ref != ref { return false }
                if let task, d.task != task { return false }
                return true
            }
            return github.listPage(request, baseURL: baseURL, count: selected.count) { renderer.deployment(deployments[selected[$0]]) }
        }
        guard let id = Int(rest[0]), let position = index.deploymentByID[id] else { return notFound() }
        let deployment = deployments[position]
        if rest.count == 1 { return single(renderer.deployment(deployment)) }
        guard rest.count == 2, rest[1] == "statuses" else { return notFound() }
        let statuses = deployment.statuses.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        return github.listPage(request, baseURL: baseURL, count: statuses.count) {
            renderer.deploymentStatus(statuses[$0], of: deployment)
        }
    }
}
