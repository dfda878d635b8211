import Foundation
import GitHubSimulator
import Testing

@Suite("Simulated GitHub over HTTP")
struct HTTPBehaviourTests {
    static let repository = Fixtures.repository(commits: 2000)

    @Test("pagination through link headers visits every item exactly once", arguments: [
        ("/repos/acme/widgets/commits?per_page=100", nil as String?),
        ("/repos/acme/widgets/issues?state=all&per_page=100", nil),
        ("/repos/acme/widgets/tags?per_page=7", nil),
        ("/repos/acme/widgets/releases?per_page=10", nil),
        ("/repos/acme/widgets/actions/runs?per_page=100", "workflow_runs"),
        ("/repos/acme/widgets/deployments?per_page=25", nil),
    ])
    func paginationWalksEverything(path: String, itemsKey: String?) async throws {
        let repository = Self.repository
        try await SimulatorHarness.run(SimulatedGitHub(repositories: [repository])) { harness in
            let (pages, items) = try await harness.walk(path, itemsKey: itemsKey)
            let keys = items.map { ($0["id"] as? Int).map(String.init) ?? ($0["sha"] as? String) ?? ($0["name"] as? String) ?? "" }
            #expect(Set(keys).count == keys.count)
            let expected: Int
            switch path {
            case let p where p.contains("/commits"): expected = repository.commits.count
            case let p where p.contains("/issues"): expected = repository.issues.count
            case let p where p.contains("/tags"): expected = repository.tags.count
            case let p where p.contains("/releases"): expected = repository.releases.count
            case let p where p.contains("/runs"): expected = repository.runs.count
            default: expected = repository.deployments.count
            }
            #expect(keys.count == expected)
            #expect(pages.count > 1)
            let firstLinks = try #require(pages.first).links
            #expect(firstLinks["next"]?.hasPrefix(harness.baseURL) == true)
            #expect(firstLinks["last"] != nil && firstLinks["prev"] == nil)
            let lastLinks = try #require(pages.last).links
            #expect(lastLinks["next"] == nil && lastLinks["first"] != nil && lastLinks["prev"] != nil)
        }
    }

    @Test("commits are listed newest first from the head, and by sha, since and until")
    func commitsListing() async throws {
        let repository = Self.repository
        try await SimulatorHarness.run(SimulatedGitHub(repositories: [repository])) { harness in
            let page = try await harness.get("/repos/acme/widgets/commits")
            #expect(page.status == 200)
            #expect(page.array.count == 30)
            #expect(page.array.first?["sha"] as? String == repository.headSha)
            let middle = repository.commits[1000]
            let fromMiddle = try await harness.get("/repos/acme/widgets/commits?sha=\(middle.sha)&per_page=5")
            #expect(fromMiddle.array.first?["sha"] as? String == middle.sha)
            let since = "2024-05-01T00:00:00Z"
            let recent = try await harness.walk("/repos/acme/widgets/commits?since=\(since)&per_page=100").items
            let cutoff = try #require(ISO8601DateFormatter().date(from: since))
            #expect(recent.count == repository.commits.filter { $0.committerDate >= cutoff }.count)
            let single = try await harness.get("/repos/acme/widgets/commits/\(middle.sha)")
            #expect(single.object["sha"] as? String == middle.sha)
            let byBranch = try await harness.get("/repos/acme/widgets/commits/main")
            #expect(byBranch.object["sha"] as? String == repository.headSha)
        }
    }

    @Test("an empty repository answers 409 for commits")
    func emptyRepository() async throws {
        let empty = SimulatedRepository(owner: "acme", name: "empty")
        try await SimulatorHarness.run(SimulatedGitHub(repositories: [empty])) { harness in
            let reply = try await harness.get("/repos/acme/empty/commits")
            #expect(reply.status == 409)
            #expect(reply.object["message"] as? String == "Git Repository is empty.")
        }
    }

    @Test("a matching If-None-Match answers 304 with no body and does not use the rate limit")
    func conditionalRequests() async throws {
        try await SimulatorHarness.run(SimulatedGitHub(repositories: [Self.repository])) { harness in
            let first = try await harness.get("/repos/acme/widgets/commits?per_page=10")
            let etag = try #require(first.header("etag"))
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
            let remaining = try #require(first.header("x-ratelimit-remaining"))
            let second = try await harness.get("/repos/acme/widgets/commits?per_page=10", headers: [("If-None-Match", etag)])
            #expect(second.status == 304)
            #expect(second.body.isEmpty)
            #expect(second.header("x-ratelimit-remaining") == remaining)
            #expect(harness.github.rateLimitRemaining == 4999)
            let log = harness.github.requestLog
            #expect(log.map(\.status) == [200, 304])
            #expect(log.map(\.countedAgainstLimit) == [true, false])
            #expect(log.map(\.conditional) == [false, true])
            let changed = try await harness.get("/repos/acme/widgets/commits?per_page=10", headers: [("If-None-Match", "\"stale\"")])
            #expect(changed.status == 200)
            #expect(changed.header("etag") == etag)
        }
    }

    @Test("the primary rate limit runs out with GitHub's 403 and resets after the window")
    func rateLimitExhaustionAndReset() async throws {
        let clock = ManualClock(Fixtures.now)
        let github = SimulatedGitHub(repositories: [Self.repository], rateLimit: 3, clock: { clock.now })
        try await SimulatorHarness.run(github) { harness in
            for expected in [2, 1, 0] {
                let reply = try await harness.get("/repos/acme/widgets/tags")
                #expect(reply.status == 200)
                #expect(reply.header("x-ratelimit-remaining") == String(expected))
                #expect(reply.header("x-ratelimit-limit") == "3")
                #expect(reply.header("x-ratelimit-resource") == "core")
            }
            let limited = try await harness.get("/repos/acme/widgets/tags")
            #expect(limited.status == 403)
            #expect(limited.header("x-ratelimit-remaining") == "0")
            #expect((limited.object["message"] as? String)?.contains("API rate limit exceeded") == true)
            let reset = try #require(limited.header("x-ratelimit-reset").flatMap(Int.init))
            #expect(reset == Int(Fixtures.now.timeIntervalSince1970) + 3600)
            let free = try await harness.get("/rate_limit")
            #expect(free.status == 200)
            #expect(((free.object["resources"] as? [String: Any])?["core"] as? [String: Any])?["remaining"] as? Int == 0)
            clock.advance(by: 3601)
            let after = try await harness.get("/repos/acme/widgets/tags")
            #expect(after.status == 200)
            #expect(after.header("x-ratelimit-remaining") == "2")
        }
    }

    @Test("filtered run queries reach only the first 1,000 results while total_count stays true")
    func runsResultCap() async throws {
        let repository = Self.repository
        let mainRuns = repository.runs.filter { $0.headBranch == "main" }.count
        try #require(mainRuns > 1000)
        try await SimulatorHarness.run(SimulatedGitHub(repositories: [repository])) { harness in
            let path = "/repos/acme/widgets/actions/runs?branch=main&per_page=100"
            let first = try await harness.get(path)
            #expect(first.object["total_count"] as? Int == mainRuns)
            #expect(first.links["last"]?.hasSuffix("page=10") == true)
            let tenth = try await harness.get(path + "&page=10")
            #expect((tenth.object["workflow_runs"] as? [Any])?.count == 100)
            let eleventh = try await harness.get(path + "&page=11")
            #expect((eleventh.object["workflow_runs"] as? [Any])?.count == 0)
            #expect(eleventh.object["total_count"] as? Int == mainRuns)
            let walked = try await harness.walk(path, itemsKey: "workflow_runs").items
            #expect(walked.count == 1000)
            let unfiltered = try await harness.get("/repos/acme/widgets/actions/runs?per_page=100&page=11")
            #expect((unfiltered.object["workflow_runs"] as? [Any])?.count == 100)
        }
    }

    @Test("run filters select by status, event, head_sha, created and workflow")
    func runFilters() async throws {
        let repository = Self.repository
        let ci = try #require(repository.workflows.first { $0.name == "CI" })
        let sample = try #require(repository.runs.first { $0.conclusion == "failure" })
        try await SimulatorHarness.run(SimulatedGitHub(repositories: [repository])) { harness in
            func total(_ query: String) async throws -> Int? {
                try await harness.get("/repos/acme/widgets/actions/runs?\(query)").object["total_count"] as? Int
            }
            #expect(try await total("status=failure") == repository.runs.filter { $0.conclusion == "failure" }.count)
            #expect(try await total("status=in_progress") == repository.runs.filter { $0.status == "in_progress" }.count)
            #expect(try await total("event=release") == repository.runs.filter { $0.event == "release" }.count)
            #expect(try await total("head_sha=\(sample.headSha)") == repository.runs.filter { $0.headSha == sample.headSha }.count)
            let day = ISO8601DateFormatter().string(from: sample.createdAt).prefix(10)
            let start = try #require(ISO8601DateFormatter().date(from: "\(day)T00:00:00Z"))
            let sameDay = repository.runs.filter { $0.createdAt >= start && $0.createdAt < start.addingTimeInterval(86_400) }.count
            #expect(try await total("created=\(day)..\(day)") == sameDay)
            #expect(try await total("created=%3E%3D\(day)") == repository.runs.filter { $0.createdAt >= start }.count)
            let byFile = try await harness.get("/repos/acme/widgets/actions/workflows/ci.yml/runs?per_page=1")
            #expect(byFile.object["total_count"] as? Int == repository.runs.filter { $0.workflowId == ci.id }.count)
            let byID = try await harness.get("/repos/acme/widgets/actions/workflows/\(ci.id)/runs?per_page=1")
            #expect(byID.object["total_count"] as? Int == byFile.object["total_count"] as? Int)
            let run = try await harness.get("/repos/acme/widgets/actions/runs/\(sample.id)")
            #expect(run.object["id"] as? Int == sample.id)
            let bad = try await harness.get("/repos/acme/widgets/actions/runs?created=yesterday")
            #expect(bad.status == 422)
        }
    }

    @Test("issues filter by state, labels case-insensitively, and since; pull requests carry pull_request")
    func issueFilters() async throws {
        let repository = Self.repository
        try await SimulatorHarness.run(SimulatedGitHub(repositories: [repository])) { harness in
            let open = try await harness.walk("/repos/acme/widgets/issues?per_page=100").items
            #expect(open.count == repository.issues.filter { $0.state == "open" }.count)
            let incidents = try await harness.walk("/repos/acme/widgets/issues?state=all&labels=INCIDENT&per_page=100").items
            #expect(incidents.count == repository.issues.filter { $0.labels.contains { $0.lowercased() == "incident" } }.count)
            let since = "2024-05-15T00:00:00Z"
            let cutoff = try #require(ISO8601DateFormatter().date(from: since))
            let updated = try await harness.walk("/repos/acme/widgets/issues?state=all&sort=updated&direction=asc&since=\(since)&per_page=100").items
            #expect(updated.count == repository.issues.filter { $0.updatedAt >= cutoff }.count)
            let stamps = updated.compactMap { $0["updated_at"] as? String }
            #expect(stamps == stamps.sorted())
            let all = try await harness.walk("/repos/acme/widgets/issues?state=all&per_page=100").items
            #expect(all.filter { $0["pull_request"] != nil }.count == repository.issues.filter(\.isPullRequest).count)
        }
    }

    @Test("tags resolve through git refs and annotated tag objects")
    func tagResolution() async throws {
        let repository = Self.repository
        let annotated = try #require(repository.tags.first { $0.annotated })
        let lightweight = try #require(repository.tags.first { !$0.annotated })
        try await SimulatorHarness.run(SimulatedGitHub(repositories: [repository])) { harness in
            let ref = try await harness.get("/repos/acme/widgets/git/ref/tags/\(annotated.name)")
            let object = try #require(ref.object["object"] as? [String: Any])
            #expect(object["type"] as? String == "tag")
            #expect(object["sha"] as? String == annotated.tagObjectSha)
            let tagObject = try await harness.get("/repos/acme/widgets/git/tags/\(annotated.tagObjectSha ?? "")")
            #expect((tagObject.object["object"] as? [String: Any])?["sha"] as? String == annotated.commitSha)
            let light = try await harness.get("/repos/acme/widgets/git/ref/tags/\(lightweight.name)")
            #expect((light.object["object"] as? [String: Any])?["type"] as? String == "commit")
            let matching = try await harness.get("/repos/acme/widgets/git/matching-refs/tags/\(annotated.name)")
            #expect(matching.array.contains { $0["ref"] as? String == "refs/tags/\(annotated.name)" })
            let missing = try await harness.get("/repos/acme/widgets/git/ref/tags/v99.0.0")
            #expect(missing.status == 404)
        }
    }

    @Test("a token is required when configured: missing or wrong answers 401 Bad credentials", arguments: [
        (nil as String?, 401), ("Bearer wrong", 401), ("Bearer s3cret", 200), ("token s3cret", 200),
    ])
    func authentication(header: String?, status: Int) async throws {
        let github = SimulatedGitHub(repositories: [Self.repository], requiredToken: "s3cret")
        try await SimulatorHarness.run(github) { harness in
            let reply = try await harness.get("/repos/acme/widgets", headers: header.map { [("Authorization", $0)] } ?? [])
            #expect(reply.status == status)
            if status == 401 {
                #expect(reply.object["message"] as? String == "Bad credentials")
                #expect(reply.object["documentation_url"] != nil)
                #expect(github.rateLimitRemaining == 5000)
            }
        }
    }

    @Test("unknown repositories answer 404; renamed ones 301 to the same path under the new name; deleted ones 404")
    func notFoundAndMoved() async throws {
        let github = SimulatedGitHub(repositories: [Self.repository])
        try await SimulatorHarness.run(github) { harness in
            let unknown = try await harness.get("/repos/acme/nothing/commits")
            #expect(unknown.status == 404)
            #expect(unknown.object["message"] as? String == "Not Found")
            github.rename("acme/widgets", to: "acme-corp/gadgets")
            let moved = try await harness.get("/repos/acme/widgets/commits?per_page=5")
            #expect(moved.status == 301)
            #expect(moved.header("location") == "\(harness.baseURL)/repos/acme-corp/gadgets/commits?per_page=5")
            let followed = try await harness.get(try #require(moved.header("location")))
            #expect(followed.status == 200)
            #expect(followed.array.count == 5)
            let info = try await harness.get("/repos/acme-corp/gadgets")
            #expect(info.object["full_name"] as? String == "acme-corp/gadgets")
            github.delete("acme-corp/gadgets")
            #expect(try await harness.get("/repos/acme-corp/gadgets").status == 404)
            #expect(try await harness.get("/repos/acme/widgets").status == 404)
        }
    }

    @Test("updates are visible to the next request and change the ETag")
    func updatesAreServed() async throws {
        let github = SimulatedGitHub(repositories: [Self.repository])
        try await SimulatorHarness.run(github) { harness in
            let before = try await harness.get("/repos/acme/widgets/commits?per_page=1")
            github.update("acme/widgets") { repository in
                let head = repository.commits[repository.commits.count - 1]
                repository.commits.append(
                    SimCommit(sha: String(repeating: "ab", count: 20), parents: [head.sha], authorDate: Fixtures.now))
            }
            let after = try await harness.get("/repos/acme/widgets/commits?per_page=1", headers: [("If-None-Match", before.header("etag") ?? "")])
            #expect(after.status == 200)
            #expect(after.array.first?["sha"] as? String == String(repeating: "ab", count: 20))
        }
    }
}
