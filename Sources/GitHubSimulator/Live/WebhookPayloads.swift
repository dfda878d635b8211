import Foundation

/// Webhook payloads in GitHub's shapes (checked against octokit/webhooks' schemas by the tests), built from the
/// simulator's REST renderings with the fields webhooks add or drop. URLs are GitHub's own, as in real deliveries.
struct WebhookPayloads {
    let repository: SimulatedRepository
    let index: RepositoryIndex
    let renderer: GitHubRenderer
    static let apiBase = "https://api.github.com"

    init(repository: SimulatedRepository) {
        self.repository = repository
        self.index = RepositoryIndex(repository)
        self.renderer = GitHubRenderer(base: Self.apiBase, index: index)
    }

    static func object(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }

    static func body(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }

    /// The repository as webhooks carry it (`common/repository.schema.json`).
    var repositoryObject: [String: Any] {
        var object = Self.object(renderer.repositoryObject())
        object["permissions"] = nil
        object["disabled"] = nil
        object["is_template"] = false
        object["web_commit_signoff_required"] = false
        object["topics"] = [String]()
        object["custom_properties"] = [String: Any]()
        object["has_discussions"] = false
        object["allow_forking"] = true
        return object
    }

    var sender: [String: Any] { Self.object(renderer.user(repository.owner)) }

    func delivery(_ event: String, _ fields: [String: Any]) -> WebhookDelivery {
        var payload = fields
        payload["repository"] = repositoryObject
        payload["sender"] = sender
        return WebhookDelivery(event: event, body: Self.body(payload))
    }

    func commitObject(_ commit: SimCommit) -> [String: Any] {
        [
            "id": commit.sha, "tree_id": renderer.treeSha(commit.sha), "distinct": true, "message": commit.message,
            "timestamp": GitHubDate.format(commit.committerDate),
            "url": "https://github.com/\(repository.fullName)/commit/\(commit.sha)",
            "author": person(commit.authorName, commit.authorEmail, commit.authorLogin),
            "committer": person(commit.committerName, commit.committerEmail, commit.committerLogin),
            "added": [String](), "removed": [String](), "modified": ["README.md"],
        ]
    }

    func person(_ name: String, _ email: String, _ login: String?) -> [String: Any] {
        var object: [String: Any] = ["name": name, "email": email]
        if let login { object["username"] = login }
        return object
    }

    func push(before: String?, after: String) -> WebhookDelivery {
        let commit = index.commitPosition[after].map { repository.commits[$0] }
        let zero = String(repeating: "0", count: 40)
        let commits = commit.map { [commitObject($0)] } ?? []
        return delivery(
            "push",
            [
                "ref": "refs/heads/\(repository.defaultBranch)", "before": before ?? zero, "after": after,
                "created": before == nil, "deleted": false, "forced": false, "base_ref": NSNull(),
                "compare": "https://github.com/\(repository.fullName)/compare/\((before ?? zero).prefix(12))...\(after.prefix(12))",
                "commits": commits, "head_commit": commits.first ?? NSNull(),
                "pusher": ["name": repository.owner, "email": "\(repository.owner)@example.com"],
            ])
    }

    func createTag(_ tag: String) -> WebhookDelivery {
        delivery(
            "create",
            ["ref": tag, "ref_type": "tag", "master_branch": repository.defaultBranch, "description": NSNull(), "pusher_type": "user"])
    }

    func releasePublished(_ tag: String) -> WebhookDelivery {
        guard let release = repository.releases.last(where: { $0.tagName == tag }) else {
            return delivery("release", ["action": "published"])
        }
        var object = Self.object(renderer.release(release))
        object["reactions"] = nil
        return delivery("release", ["action": "published", "release": object])
    }

    func issues(action: String, number: Int) -> WebhookDelivery {
        guard let issue = repository.issues.first(where: { $0.number == number }) else {
            return delivery("issues", ["action": action])
        }
        var object = Self.object(renderer.issue(issue))
        object["reactions"] = [
            "url": "\(Self.apiBase)/repos/\(repository.fullName)/issues/\(number)/reactions", "total_count": 0, "+1": 0, "-1": 0,
            "laugh": 0, "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0,
        ]
        return delivery("issues", ["action": action, "issue": object])
    }

    func workflowRunCompleted(id: Int) -> WebhookDelivery {
        guard let run = repository.runs.last(where: { $0.id == id }) else {
            return delivery("workflow_run", ["action": "completed"])
        }
        let workflow = repository.workflows.first { $0.id == run.workflowId }.map { Self.object(renderer.workflow($0)) } ?? [:]
        let object = Self.object(renderer.run(run, minimalRepository: renderer.minimalRepository()))
        return delivery("workflow_run", ["action": "completed", "workflow": workflow, "workflow_run": object])
    }

    /// The `ping` GitHub sends when a webhook is created.
    static func ping(hookID: Int, url: String, events: [String]) -> WebhookDelivery {
        let now = GitHubDate.format(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
        let hook: [String: Any] = [
            "type": "Repository", "id": hookID, "name": "web", "active": true, "events": events,
            "config": ["content_type": "json", "insecure_ssl": "0", "url": url], "updated_at": now, "created_at": now,
            "url": "\(apiBase)/hooks/\(hookID)", "test_url": "\(apiBase)/hooks/\(hookID)/test",
            "ping_url": "\(apiBase)/hooks/\(hookID)/pings", "deliveries_url": "\(apiBase)/hooks/\(hookID)/deliveries",
            "last_response": ["code": NSNull(), "status": "unused", "message": NSNull()],
        ]
        return WebhookDelivery(event: "ping", body: body(["zen": "Design for failure.", "hook_id": hookID, "hook": hook]))
    }
}
