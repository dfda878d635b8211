import Foundation
import Sync
import Testing

@testable import Webhooks

@Suite struct WebhookRouterTests {
    func action(_ event: WebhookEvent, _ fields: [String: Any]) throws -> WebhookAction {
        let router = WebhookRouter(repositories: try WebhookFixtures.repositories())
        let payload = try JSONDecoder().decode(WebhookPayload.self, from: Data(WebhookFixtures.payload(fields)))
        return router.action(event: event, payload: payload)
    }

    func sync(_ repository: String, _ entities: Set<SyncEntity>) -> WebhookAction {
        .sync([WebhookRoute(repository: repository, entities: entities)])
    }

    @Test func aPushToTheTrackedBranchSyncsCommits() throws {
        let app = WebhookFixtures.repository("demo/app")
        #expect(try action(.push, ["ref": "refs/heads/main", "repository": app]) == sync("demo/app", [.commits]))
        // demo/ops tracks trunk.
        let ops = WebhookFixtures.repository("demo/ops")
        #expect(try action(.push, ["ref": "refs/heads/trunk", "repository": ops]) == sync("demo/ops", [.commits]))
        guard case .ignored(let reason) = try action(.push, ["ref": "refs/heads/main", "repository": ops]) else {
            Issue.record("a push to an untracked branch was acted on")
            return
        }
        #expect(reason.contains("refs/heads/main"))
    }

    @Test func tagsReleasesIssuesRunsAndDeploymentsMapToTheirEntities() throws {
        let app = WebhookFixtures.repository("demo/app")
        #expect(try action(.push, ["ref": "refs/tags/v1.2.0", "repository": app]) == sync("demo/app", [.tags]))
        #expect(try action(.create, ["ref": "v1.2.0", "ref_type": "tag", "repository": app]) == sync("demo/app", [.tags]))
        #expect(try action(.delete, ["ref": "v1.2.0", "ref_type": "tag", "repository": app]) == sync("demo/app", [.tags]))
        #expect(try action(.release, ["action": "published", "repository": app]) == sync("demo/app", [.releases, .tags]))
        #expect(try action(.issues, ["action": "closed", "repository": app]) == sync("demo/app", [.issues]))
        #expect(try action(.label, ["action": "edited", "repository": app]) == sync("demo/app", [.issues]))
        #expect(try action(.workflowRun, ["action": "completed", "repository": app]) == sync("demo/app", [.workflowRuns]))
        let ops = WebhookFixtures.repository("demo/ops")
        #expect(try action(.deploymentStatus, ["action": "created", "repository": ops]) == sync("demo/ops", [.deployments]))
        #expect(try action(.deployment, ["action": "created", "repository": ops]) == sync("demo/ops", [.deployments]))
        // demo/app deploys by releases: its GitHub Deployments are not read.
        guard case .ignored = try action(.deployment, ["action": "created", "repository": app]) else {
            Issue.record("a deployment of a repository deploying by releases was acted on")
            return
        }
        guard case .ignored = try action(.create, ["ref": "feature", "ref_type": "branch", "repository": app]) else {
            Issue.record("a branch creation was acted on")
            return
        }
    }

    @Test func anEventOnASourceRepositoryReachesTheRepositoryReadingFromIt() throws {
        // demo/web reads its issues from demo/tracker; its commits from itself.
        let tracker = WebhookFixtures.repository("demo/tracker")
        #expect(try action(.issues, ["action": "opened", "repository": tracker]) == sync("demo/web", [.issues]))
        #expect(try action(.push, ["ref": "refs/heads/main", "repository": tracker]) == .unknownRepository("demo/tracker"))
        #expect(try action(.issues, ["action": "opened", "repository": WebhookFixtures.repository("DEMO/APP")]) == sync("demo/app", [.issues]))
    }

    @Test func anUnknownRepositoryIsNamed() throws {
        #expect(try action(.issues, ["action": "opened", "repository": WebhookFixtures.repository("other/repo")]) == .unknownRepository("other/repo"))
    }

    @Test func aRenamedRepositoryIsCheckedUnderItsConfiguredName() throws {
        // Renamed on GitHub from demo/app to demo/application: the configuration still says demo/app.
        let renamed: [String: Any] = [
            "action": "renamed", "repository": WebhookFixtures.repository("demo/application"),
            "changes": ["repository": ["name": ["from": "app"]]],
        ]
        #expect(try action(.repository, renamed) == sync("demo/app", [.repository]))
        #expect(try action(.repository, ["action": "archived", "repository": WebhookFixtures.repository("demo/ops")]) == sync("demo/ops", [.repository]))
        #expect(try action(.repository, ["action": "deleted", "repository": WebhookFixtures.repository("x/y")]) == .unknownRepository("x/y"))
    }

    @Test func installationEventsReportTheRepositorySetChange() throws {
        let created: [String: Any] = [
            "action": "created", "installation": ["id": 42], "repositories": [["full_name": "acme/one"], ["full_name": "acme/two"]],
        ]
        #expect(
            try action(.installation, created)
                == .repositorySetChanged(
                    RepositorySetChange(event: .installation, action: "created", installationID: 42, added: ["acme/one", "acme/two"], removed: [])))
        let changed: [String: Any] = [
            "action": "removed", "installation": ["id": 42], "repositories_added": [], "repositories_removed": [["full_name": "acme/one"]],
        ]
        #expect(
            try action(.installationRepositories, changed)
                == .repositorySetChanged(
                    RepositorySetChange(
                        event: .installationRepositories, action: "removed", installationID: 42, added: [], removed: ["acme/one"])))
    }

    @Test func pingIsAcceptedAndOtherEventsAreIgnored() throws {
        #expect(try action(.ping, ["zen": "Keep it logically awesome.", "hook_id": 1]) == .ping)
        guard case .ignored = try action(.other, ["repository": WebhookFixtures.repository("demo/app")]) else {
            Issue.record("an unused event was acted on")
            return
        }
        #expect(WebhookEvent(header: "star") == .other)
        #expect(WebhookEvent(header: nil) == .other)
        #expect(WebhookEvent(header: "WORKFLOW_RUN") == .workflowRun)
    }
}
