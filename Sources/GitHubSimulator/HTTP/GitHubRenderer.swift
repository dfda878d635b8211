import Foundation

/// Renders simulated objects as GitHub REST JSON (the 2022-11-28 shapes, all required fields present).
struct GitHubRenderer {
    let base: String
    let repository: SimulatedRepository
    let index: RepositoryIndex
    let repoURL: String
    let htmlURL: String

    init(base: String, index: RepositoryIndex) {
        self.base = base
        self.index = index
        self.repository = index.repository
        self.repoURL = "\(base)/repos/\(index.repository.fullName)"
        self.htmlURL = "https://github.com/\(index.repository.fullName)"
    }

    private typealias J = JSONText

    static func nodeID(_ prefix: String, _ value: String) -> String {
        let hash = String(SplitMix64.hash(value), radix: 36)
        return "\(prefix)_kwDO\(hash)"
    }

    func user(_ login: String) -> String {
        Self.user(login, base: base)
    }

    /// A `simple-user`; `type` "Organization" for an organisation (the owner of every simulated repository).
    static func user(_ login: String, base: String, type: String = "User") -> String {
        let id = SimulatedRepository.userID(forLogin: login)
        let url = "\(base)/users/\(login)"
        return """
            {"login":\(J.string(login)),"id":\(id),"node_id":"\(nodeID("U", login))",\
            "avatar_url":"https://avatars.githubusercontent.com/u/\(id)?v=4","gravatar_id":"",\
            "url":"\(url)","html_url":"https://github.com/\(login)","followers_url":"\(url)/followers",\
            "following_url":"\(url)/following{/other_user}","gists_url":"\(url)/gists{/gist_id}",\
            "starred_url":"\(url)/starred{/owner}{/repo}","subscriptions_url":"\(url)/subscriptions",\
            "organizations_url":"\(url)/orgs","repos_url":"\(url)/repos","events_url":"\(url)/events{/privacy}",\
            "received_events_url":"\(url)/received_events","type":"\(type)","site_admin":false}
            """
    }

    func optionalUser(_ login: String?) -> String {
        login.map { user($0) } ?? "null"
    }

    static let unsigned = #"{"verified":false,"reason":"unsigned","signature":null,"payload":null}"#

    func treeSha(_ sha: String) -> String { String(sha.reversed()) }

    func commit(_ c: SimCommit) -> String {
        let url = "\(repoURL)/commits/\(c.sha)"
        let parents = c.parents.map { p in
            #"{"sha":"\#(p)","url":"\#(repoURL)/commits/\#(p)","html_url":"\#(htmlURL)/commit/\#(p)"}"#
        }
        return """
            {"sha":"\(c.sha)","node_id":"\(Self.nodeID("C", c.sha))","commit":{\
            "author":{"name":\(J.string(c.authorName)),"email":\(J.string(c.authorEmail)),"date":\(J.date(c.authorDate))},\
            "committer":{"name":\(J.string(c.committerName)),"email":\(J.string(c.committerEmail)),"date":\(J.date(c.committerDate))},\
            "message":\(J.string(c.message)),"tree":{"sha":"\(treeSha(c.sha))","url":"\(repoURL)/git/trees/\(treeSha(c.sha))"},\
            "url":"\(repoURL)/git/commits/\(c.sha)","comment_count":0,"verification":\(Self.unsigned)},\
            "url":"\(url)","html_url":"\(htmlURL)/commit/\(c.sha)","comments_url":"\(url)/comments",\
            "author":\(optionalUser(c.authorLogin)),"committer":\(optionalUser(c.committerLogin)),"parents":\(J.array(parents))}
            """
    }

    func tag(_ t: SimTag) -> String {
        let name = Self.pathComponent(t.name)
        return """
            {"name":\(J.string(t.name)),"commit":{"sha":"\(t.commitSha)","url":"\(repoURL)/commits/\(t.commitSha)"},\
            "zipball_url":"\(repoURL)/zipball/refs/tags/\(name)","tarball_url":"\(repoURL)/tarball/refs/tags/\(name)",\
            "node_id":"\(Self.nodeID("REF", t.name))"}
            """
    }

    func gitRef(tag t: SimTag) -> String {
        let name = Self.pathComponent(t.name)
        let object: String
        if t.annotated, let objectSha = t.tagObjectSha {
            object = #"{"sha":"\#(objectSha)","type":"tag","url":"\#(repoURL)/git/tags/\#(objectSha)"}"#
        } else {
            object = #"{"sha":"\#(t.commitSha)","type":"commit","url":"\#(repoURL)/git/commits/\#(t.commitSha)"}"#
        }
        return """
            {"ref":\(J.string("refs/tags/\(t.name)")),"node_id":"\(Self.nodeID("REF", "refs/tags/\(t.name)"))",\
            "url":"\(repoURL)/git/refs/tags/\(name)","object":\(object)}
            """
    }

    func gitRef(branch: String, sha: String) -> String {
        """
        {"ref":\(J.string("refs/heads/\(branch)")),"node_id":"\(Self.nodeID("REF", "refs/heads/\(branch)"))",\
        "url":"\(repoURL)/git/refs/heads/\(Self.pathComponent(branch))",\
        "object":{"sha":"\(sha)","type":"commit","url":"\(repoURL)/git/commits/\(sha)"}}
        """
    }

    func gitTag(_ t: SimTag) -> String {
        let objectSha = t.tagObjectSha ?? t.commitSha
        let commit = index.commitPosition[t.commitSha].map { repository.commits[$0] }
        let taggerName = commit?.committerName ?? "Release Bot"
        let taggerEmail = commit?.committerEmail ?? "release-bot@example.com"
        let date = t.taggerDate ?? commit?.committerDate ?? repository.createdAt
        return """
            {"node_id":"\(Self.nodeID("TAG", objectSha))","sha":"\(objectSha)","url":"\(repoURL)/git/tags/\(objectSha)",\
            "tag":\(J.string(t.name)),"message":\(J.string("Release \(t.name)\n")),\
            "tagger":{"name":\(J.string(taggerName)),"email":\(J.string(taggerEmail)),"date":\(J.date(date))},\
            "object":{"sha":"\(t.commitSha)","type":"commit","url":"\(repoURL)/git/commits/\(t.commitSha)"},\
            "verification":\(Self.unsigned)}
            """
    }

    func release(_ r: SimRelease) -> String {
        let url = "\(repoURL)/releases/\(r.id)"
        let name = Self.pathComponent(r.tagName)
        let authorLogin = index.tagByName[r.tagName]
            .flatMap { index.commitPosition[repository.tags[$0].commitSha] }
            .flatMap { repository.commits[$0].authorLogin } ?? repository.owner
        return """
            {"url":"\(url)","html_url":"\(htmlURL)/releases/tag/\(name)","assets_url":"\(url)/assets",\
            "upload_url":"https://uploads.github.com/repos/\(repository.fullName)/releases/\(r.id)/assets{?name,label}",\
            "tarball_url":"\(repoURL)/tarball/\(name)","zipball_url":"\(repoURL)/zipball/\(name)",\
            "id":\(r.id),"node_id":"\(Self.nodeID("RE", String(r.id)))","tag_name":\(J.string(r.tagName)),\
            "target_commitish":\(J.string(r.targetCommitish)),"name":\(J.string(r.name)),"draft":\(r.draft),\
            "prerelease":\(r.prerelease),"created_at":\(J.date(r.createdAt)),"published_at":\(J.date(r.publishedAt)),\
            "author":\(user(authorLogin)),"assets":[],"body":\(J.string("Changes in \(r.tagName)."))}
            """
    }

    static let labelColors = ["bug": "d73a4a", "enhancement": "a2eeef", "documentation": "0075ca", "incident": "b60205", "prod": "fbca04"]
    static let defaultLabels: Set<String> = ["bug", "enhancement", "documentation"]

    func label(_ name: String) -> String {
        let lower = name.lowercased()
        let id = Int(SplitMix64.hash("\(repository.fullName)#\(name)") % 9_000_000_000) + 1_000_000_000
        return """
            {"id":\(id),"node_id":"\(Self.nodeID("LA", name))","url":"\(repoURL)/labels/\(Self.pathComponent(name))",\
            "name":\(J.string(name)),"description":null,"color":"\(Self.labelColors[lower] ?? "ededed")",\
            "default":\(Self.defaultLabels.contains(name))}
            """
    }

    func issue(_ i: SimIssue) -> String {
        let url = "\(repoURL)/issues/\(i.number)"
        var pullRequest = ""
        if i.isPullRequest {
            let html = "\(htmlURL)/pull/\(i.number)"
            pullRequest = """
                ,"pull_request":{"url":"\(repoURL)/pulls/\(i.number)","html_url":"\(html)","diff_url":"\(html).diff",\
                "patch_url":"\(html).patch","merged_at":\(J.date(i.mergedAt))}
                """
        }
        return """
            {"url":"\(url)","repository_url":"\(repoURL)","labels_url":"\(url)/labels{/name}",\
            "comments_url":"\(url)/comments","events_url":"\(url)/events",\
            "html_url":"\(htmlURL)/\(i.isPullRequest ? "pull" : "issues")/\(i.number)","id":\(i.id),\
            "node_id":"\(Self.nodeID(i.isPullRequest ? "PR" : "I", String(i.id)))","number":\(i.number),\
            "title":\(J.string(i.title)),"user":\(user(i.userLogin)),"labels":\(J.array(i.labels.map(label))),\
            "state":"\(i.state)","state_reason":\(J.string(i.stateReason)),"locked":false,"assignee":null,\
            "assignees":[],"milestone":null,"comments":0,"created_at":\(J.date(i.createdAt)),\
            "updated_at":\(J.date(i.updatedAt)),"closed_at":\(J.date(i.closedAt)),"author_association":"CONTRIBUTOR",\
            "active_lock_reason":null,"body":null,"timeline_url":"\(url)/timeline"\(pullRequest)}
            """
    }

    func workflow(_ w: SimWorkflow) -> String {
        """
        {"id":\(w.id),"node_id":"\(Self.nodeID("W", String(w.id)))","name":\(J.string(w.name)),"path":\(J.string(w.path)),\
        "state":"\(w.state)","created_at":\(J.date(w.createdAt)),"updated_at":\(J.date(w.updatedAt)),\
        "url":"\(repoURL)/actions/workflows/\(w.id)","html_url":"\(htmlURL)/blob/\(repository.defaultBranch)/\(w.path)",\
        "badge_url":"\(htmlURL)/workflows/\(Self.pathComponent(w.name))/badge.svg"}
        """
    }

    func minimalRepository() -> String {
        RepositoryJSON(base: base, repository: repository).minimal()
    }

    func repositoryObject() -> String {
        RepositoryJSON(base: base, repository: repository).full()
    }

    func run(_ r: SimWorkflowRun, minimalRepository: String) -> String {
        let url = "\(repoURL)/actions/runs/\(r.id)"
        let workflow = index.workflowByID[r.workflowId].map { repository.workflows[$0] }
        let commit = index.commitPosition[r.headSha].map { repository.commits[$0] }
        let headCommit: String
        if let c = commit {
            headCommit = """
                {"id":"\(c.sha)","tree_id":"\(treeSha(c.sha))","message":\(J.string(c.message)),"timestamp":\(J.date(c.committerDate)),\
                "author":{"name":\(J.string(c.authorName)),"email":\(J.string(c.authorEmail))},\
                "committer":{"name":\(J.string(c.committerName)),"email":\(J.string(c.committerEmail))}}
                """
        } else {
            headCommit = "null"
        }
        let title = commit.map { String($0.message.prefix { $0 != "\n" }) } ?? r.name
        let checkSuite = r.id * 2 + 1
        let actor = user(r.actorLogin)
        return """
            {"id":\(r.id),"name":\(J.string(r.name)),"node_id":"\(Self.nodeID("WFR", String(r.id)))",\
            "head_branch":\(J.string(r.headBranch)),"head_sha":"\(r.headSha)",\
            "path":\(J.string("\(workflow?.path ?? "")@\(r.headBranch ?? repository.defaultBranch)")),\
            "display_title":\(J.string(title)),"run_number":\(r.runNumber),"event":\(J.string(r.event)),\
            "status":\(J.string(r.status)),"conclusion":\(J.string(r.conclusion)),"workflow_id":\(r.workflowId),\
            "check_suite_id":\(checkSuite),"check_suite_node_id":"\(Self.nodeID("CS", String(checkSuite)))",\
            "url":"\(url)","html_url":"\(htmlURL)/actions/runs/\(r.id)","pull_requests":[],\
            "created_at":\(J.date(r.createdAt)),"updated_at":\(J.date(r.updatedAt)),"actor":\(actor),\
            "run_attempt":\(r.runAttempt),"referenced_workflows":[],"run_started_at":\(J.date(r.runStartedAt)),\
            "triggering_actor":\(actor),"jobs_url":"\(url)/jobs","logs_url":"\(url)/logs",\
            "check_suite_url":"\(repoURL)/check-suites/\(checkSuite)","artifacts_url":"\(url)/artifacts",\
            "cancel_url":"\(url)/cancel","rerun_url":"\(url)/rerun",\
            "previous_attempt_url":\(r.runAttempt > 1 ? "\"\(url)/attempts/\(r.runAttempt - 1)\"" : "null"),\
            "workflow_url":"\(repoURL)/actions/workflows/\(r.workflowId)","head_commit":\(headCommit),\
            "repository":\(minimalRepository),"head_repository":\(minimalRepository)}
            """
    }

    func deployment(_ d: SimDeployment) -> String {
        let url = "\(repoURL)/deployments/\(d.id)"
        return """
            {"url":"\(url)","id":\(d.id),"node_id":"\(Self.nodeID("DE", String(d.id)))","sha":"\(d.sha)",\
            "ref":\(J.string(d.ref)),"task":\(J.string(d.task)),"payload":{},"original_environment":\(J.string(d.environment)),\
            "environment":\(J.string(d.environment)),"description":null,"creator":\(user(d.creatorLogin)),\
            "created_at":\(J.date(d.createdAt)),"updated_at":\(J.date(d.updatedAt)),"statuses_url":"\(url)/statuses",\
            "repository_url":"\(repoURL)","transient_environment":false,\
            "production_environment":\(d.environment == "production")}
            """
    }

    func deploymentStatus(_ s: SimDeploymentStatus, of d: SimDeployment) -> String {
        let deploymentURL = "\(repoURL)/deployments/\(d.id)"
        let environmentHost = d.environment == "production" ? "app.example.com" : "\(d.environment).app.example.com"
        return """
            {"url":"\(deploymentURL)/statuses/\(s.id)","id":\(s.id),"node_id":"\(Self.nodeID("DES", String(s.id)))",\
            "state":"\(s.state)","creator":\(user(d.creatorLogin)),"description":\(J.string("Deployment \(s.state)")),\
            "environment":\(J.string(d.environment)),"target_url":"https://ci.example.com/deployments/\(d.id)",\
            "created_at":\(J.date(s.createdAt)),"updated_at":\(J.date(s.createdAt)),"deployment_url":"\(deploymentURL)",\
            "repository_url":"\(repoURL)","environment_url":"https://\(environmentHost)",\
            "log_url":"https://ci.example.com/deployments/\(d.id)"}
            """
    }

    /// Percent-encodes a value for use as one path segment.
    static func pathComponent(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
