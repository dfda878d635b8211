import Foundation

/// Renders a repository as GitHub's `minimal-repository` and `repository` JSON from the repository value alone
/// (no index), so an organisation listing of thousands of repositories costs no history walks.
struct RepositoryJSON {
    let base: String
    let repository: SimulatedRepository

    private typealias J = JSONText

    var repoURL: String { "\(base)/repos/\(repository.fullName)" }
    var htmlURL: String { "https://github.com/\(repository.fullName)" }
    var isPrivate: Bool { repository.visibility != .public }

    /// The owner, an organisation.
    var owner: String { GitHubRenderer.user(repository.owner, base: base, type: "Organization") }

    /// The fields every repository shape has (`minimal-repository`'s required ones), as embedded in workflow runs.
    func minimal() -> String {
        let r = repoURL
        return """
            {"id":\(repository.id),"node_id":"\(GitHubRenderer.nodeID("R", repository.fullName))","name":\(J.string(repository.name)),\
            "full_name":\(J.string(repository.fullName)),"private":\(isPrivate),"owner":\(owner),\
            "html_url":"\(htmlURL)","description":null,"fork":\(repository.fork),"url":"\(r)","archive_url":"\(r)/{archive_format}{/ref}",\
            "assignees_url":"\(r)/assignees{/user}","blobs_url":"\(r)/git/blobs{/sha}","branches_url":"\(r)/branches{/branch}",\
            "collaborators_url":"\(r)/collaborators{/collaborator}","comments_url":"\(r)/comments{/number}",\
            "commits_url":"\(r)/commits{/sha}","compare_url":"\(r)/compare/{base}...{head}","contents_url":"\(r)/contents/{+path}",\
            "contributors_url":"\(r)/contributors","deployments_url":"\(r)/deployments","downloads_url":"\(r)/downloads",\
            "events_url":"\(r)/events","forks_url":"\(r)/forks","git_commits_url":"\(r)/git/commits{/sha}",\
            "git_refs_url":"\(r)/git/refs{/sha}","git_tags_url":"\(r)/git/tags{/sha}","hooks_url":"\(r)/hooks",\
            "issue_comment_url":"\(r)/issues/comments{/number}","issue_events_url":"\(r)/issues/events{/number}",\
            "issues_url":"\(r)/issues{/number}","keys_url":"\(r)/keys{/key_id}","labels_url":"\(r)/labels{/name}",\
            "languages_url":"\(r)/languages","merges_url":"\(r)/merges","milestones_url":"\(r)/milestones{/number}",\
            "notifications_url":"\(r)/notifications{?since,all,participating}","pulls_url":"\(r)/pulls{/number}",\
            "releases_url":"\(r)/releases{/id}","stargazers_url":"\(r)/stargazers","statuses_url":"\(r)/statuses/{sha}",\
            "subscribers_url":"\(r)/subscribers","subscription_url":"\(r)/subscription","tags_url":"\(r)/tags",\
            "teams_url":"\(r)/teams","trees_url":"\(r)/git/trees{/sha}"}
            """
    }

    var pushedAt: Date { repository.commits.last?.committerDate ?? repository.createdAt }

    /// The metadata fields GitHub adds in listings and the full object (archived, topics, visibility, dates...).
    func metadata() -> String {
        let pushed = pushedAt
        let openIssues = repository.issues.lazy.filter { $0.state == "open" }.count
        return """
            "clone_url":"https://github.com/\(repository.fullName).git","default_branch":\(J.string(repository.defaultBranch)),\
            "forks":0,"forks_count":0,"git_url":"git://github.com/\(repository.fullName).git","has_downloads":true,\
            "has_issues":true,"has_projects":false,"has_wiki":false,"has_pages":false,"homepage":null,"language":"Swift",\
            "archived":\(repository.archived),"disabled":false,"mirror_url":null,"open_issues":\(openIssues),\
            "open_issues_count":\(openIssues),"license":null,"pushed_at":\(J.date(pushed)),\
            "size":\(repository.commits.count / 10 + 1),"ssh_url":"git@github.com:\(repository.fullName).git","stargazers_count":0,\
            "svn_url":"https://github.com/\(repository.fullName)","watchers":0,"watchers_count":0,\
            "created_at":\(J.date(repository.createdAt)),"updated_at":\(J.date(pushed)),\
            "topics":\(J.array(repository.topics.map { J.string($0) })),"visibility":"\(repository.visibility.rawValue)",\
            "permissions":{"admin":false,"maintain":false,"push":true,"triage":true,"pull":true}
            """
    }

    /// The `repository` object of `GET /repos/{owner}/{repo}` and `GET /installation/repositories`; also the
    /// items of `GET /orgs/{org}/repos`, whose `minimal-repository` GitHub fills with the same fields.
    func full() -> String {
        String(minimal().dropLast()) + "," + metadata() + "}"
    }
}
