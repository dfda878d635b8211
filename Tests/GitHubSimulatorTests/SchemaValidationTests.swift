import Foundation
import GitHubSimulator
import Testing

@Suite("Response bodies against GitHub's OpenAPI schemas")
struct SchemaValidationTests {
    @Test("every endpoint's body validates against the schema of its operation")
    func bodiesMatchSchemas() async throws {
        let repository = Fixtures.repository(commits: 600)
        let empty = SimulatedRepository(owner: "acme", name: "empty")
        let clock = ManualClock(Fixtures.now)
        let github = SimulatedGitHub(repositories: [repository, empty, Fixtures.repository(commits: 50, name: "old")], rateLimit: 1000, clock: { clock.now })
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simulator-schemas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let annotated = try #require(repository.tags.first { $0.annotated })
        let lightweight = try #require(repository.tags.first { !$0.annotated })
        let merge = try #require(repository.commits.last { $0.isMerge })
        let deployment = try #require(repository.deployments.max { $0.statuses.count < $1.statuses.count })
        let release = try #require(repository.releases.first { !$0.draft })
        let failedRun = try #require(repository.runs.first { $0.runAttempt == 2 })
        let samples: [(String, String, Int)] = [
            ("repository", "/repos/acme/widgets", 200),
            ("repos_list-commits", "/repos/acme/widgets/commits?per_page=100", 200),
            ("repos_get-commit", "/repos/acme/widgets/commits/\(merge.sha)", 200),
            ("repos_list-tags", "/repos/acme/widgets/tags?per_page=100", 200),
            ("repos_list-releases", "/repos/acme/widgets/releases?per_page=100", 200),
            ("repos_get-release-by-tag", "/repos/acme/widgets/releases/tags/\(release.tagName)", 200),
            ("git_get-ref", "/repos/acme/widgets/git/ref/tags/\(annotated.name)", 200),
            ("git_get-ref.lightweight", "/repos/acme/widgets/git/ref/tags/\(lightweight.name)", 200),
            ("git_list-matching-refs", "/repos/acme/widgets/git/matching-refs/tags/v", 200),
            ("git_get-tag", "/repos/acme/widgets/git/tags/\(annotated.tagObjectSha ?? "")", 200),
            ("issues_list-for-repo", "/repos/acme/widgets/issues?state=all&per_page=100", 200),
            ("actions_list-repo-workflows", "/repos/acme/widgets/actions/workflows", 200),
            ("actions_list-workflow-runs-for-repo", "/repos/acme/widgets/actions/runs?per_page=60", 200),
            ("actions_list-workflow-runs", "/repos/acme/widgets/actions/workflows/deploy.yml/runs?per_page=100", 200),
            ("workflow-run", "/repos/acme/widgets/actions/runs/\(failedRun.id)", 200),
            ("repos_list-deployments", "/repos/acme/widgets/deployments?per_page=100", 200),
            ("repos_list-deployment-statuses", "/repos/acme/widgets/deployments/\(deployment.id)/statuses", 200),
            ("deployment", "/repos/acme/widgets/deployments/\(deployment.id)", 200),
            ("rate-limit_get", "/rate_limit", 200),
            ("basic-error.404", "/repos/acme/missing/commits", 404),
            ("basic-error.409", "/repos/acme/empty/commits", 409),
            ("basic-error.422", "/repos/acme/widgets/commits/nope", 422),
        ]
        try await SimulatorHarness.run(github) { harness in
            for (name, path, status) in samples {
                let reply = try await harness.get(path)
                #expect(reply.status == status, "GET \(path)")
                try reply.body.write(to: directory.appendingPathComponent("\(name).json"))
            }
            github.rename("acme/old", to: "acme/new")
            let moved = try await harness.get("/repos/acme/old/tags")
            #expect(moved.status == 301)
            try moved.body.write(to: directory.appendingPathComponent("basic-error.301.json"))
            github.inject(.secondaryRateLimit(retryAfter: 60))
            try await harness.get("/repos/acme/widgets/tags").body.write(to: directory.appendingPathComponent("basic-error.secondary.json"))
        }
        let unauthorized = SimulatedGitHub(repositories: [repository], requiredToken: "t")
        try await SimulatorHarness.run(unauthorized) { harness in
            try await harness.get("/repos/acme/widgets").body.write(to: directory.appendingPathComponent("basic-error.401.json"))
        }

        let appBodies = try await dumpAppBodies(into: directory)

        let script = Fixtures.packageRoot.appendingPathComponent("scripts/validate_github_schemas.py")
        let schemas = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/github/openapi/github-dora-subset.schemas.json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, directory.path, "--schemas", schemas.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "schema validation failed:\n\(text)")
        #expect(text.contains("checked \(samples.count + 3 + appBodies) bodies, 0 invalid"), "\(text)")
    }

    /// The bodies of GitHub Apps, installations and discovery: written as `<schema or operation>.<n>.json`,
    /// returns how many.
    func dumpAppBodies(into directory: URL) async throws -> Int {
        let fixture = try AppFixture()
        var written = 0
        try await SimulatorHarness.run(fixture.github) { harness in
            let jwt = try fixture.jwt()
            let bearer = AppFixture.bearer(jwt)
            func save(_ name: String, _ reply: SimulatorHarness.Reply, status: Int = 200) throws {
                #expect(reply.status == status, "\(name)")
                try reply.body.write(to: directory.appendingPathComponent("\(name).json"))
                written += 1
            }
            try save("apps_get-authenticated", try await harness.get("/app", headers: bearer))
            try save("apps_list-installations", try await harness.get("/app/installations", headers: bearer))
            try save("apps_get-org-installation", try await harness.get("/orgs/beta/installation", headers: bearer))
            try save("apps_get-repo-installation", try await harness.get("/repos/acme/svc-4/installation", headers: bearer))
            for installation in [AppFixture.allInstallation, AppFixture.selectedInstallation] {
                let reply = try await harness.get("/app/installations/\(installation)/access_tokens", headers: bearer, method: .POST)
                try save("installation-token.\(installation)", reply, status: 201)
                let token = try #require(reply.object["token"] as? String)
                try save(
                    "apps_list-repos-accessible-to-installation.\(installation)",
                    try await harness.get("/installation/repositories?per_page=3", headers: AppFixture.bearer(token)))
                try save("rate-limit_get.\(installation)", try await harness.get("/rate_limit", headers: AppFixture.bearer(token)))
            }
            try save("repos_list-for-org", try await harness.get("/orgs/acme/repos?per_page=100"))
            try save("repository.topics", try await harness.get("/repos/acme/svc-4"))
            try save("repository.private", try await harness.get("/repos/acme/svc-5"))
            let expired = try fixture.jwt(iat: -900, lifetime: 600)
            try save("basic-error.jwt", try await harness.get("/app", headers: AppFixture.bearer(expired)), status: 401)
            try save("basic-error.jwt-on-repository", try await harness.get("/repos/acme/svc-0", headers: bearer), status: 403)
        }
        return written
    }
}
