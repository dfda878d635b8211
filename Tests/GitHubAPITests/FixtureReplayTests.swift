import Foundation
import GitHubAPI
import Testing

@Suite("Replaying recorded GitHub exchanges (octokit fixtures) on loopback")
struct FixtureReplayTests {
    @Test("paginating issues follows Link rel=next verbatim across all five pages")
    func paginatesIssues() async throws {
        try await ReplayServer.with("paginate-issues") { replay in
            try await ClientHarness.withClient(baseURL: replay.baseURL) { client, _ in
                let tally = RequestTally()
                var next: String? = "/repos/octokit-fixture-org/paginate-issues/issues?per_page=3"
                var issues: [GitHubIssue] = []
                var pages = 0
                while let url = next, pages < 20 {
                    let response = try await client.get(url, tally: tally)
                    issues += try client.decode([GitHubIssue].self, from: response)
                    next = response.nextURL
                    pages += 1
                    if pages == 1 {
                        #expect(response.links["last"] == replay.baseURL + "/repositories/1000/issues?per_page=3&page=5")
                        #expect(response.links["prev"] == nil)
                    }
                }
                #expect(pages == 5)
                #expect(issues.count == 13)
                #expect(issues.map(\.number) == Array((1...13).reversed()))
                #expect(issues.allSatisfy { !$0.isPullRequest && $0.state == "open" && $0.closedAt == nil })
                #expect(tally.countsByStatus == ["200": 5])
                #expect(replay.servedPaths.last == "/repositories/1000/issues?per_page=3&page=5")
            }
        }
    }

    @Test("rate-limit headers of the real recording are parsed on every page")
    func rateLimitFromRawHeaders() async throws {
        try await ReplayServer.with("paginate-issues", raw: true) { replay in
            try await ClientHarness.withClient(baseURL: replay.baseURL) { client, _ in
                var next: String? = "/repos/octokit-fixture-org/tmp-scenario-paginate-issues-20220719043836917-izyoe/issues?per_page=3"
                var remaining: [Int] = []
                while let url = next, remaining.count < 20 {
                    let response = try await client.get(url)
                    remaining.append(response.rateLimit?.remaining ?? -1)
                    next = response.nextURL
                }
                #expect(remaining == [4922, 4921, 4920, 4919, 4918])
                #expect(
                    client.lastRateLimit
                        == RateLimitStatus(
                            limit: 5000, remaining: 4918, used: 82, reset: Date(timeIntervalSince1970: 1_658_208_999), resource: "core"))
            }
        }
    }

    @Test("a renamed repository answers 301; the client follows it and reports the new location", arguments: [false, true])
    func renamedRepository(raw: Bool) async throws {
        let oldPath =
            raw
            ? "/repos/octokit-fixture-org/tmp-scenario-rename-repository-20220719044033126-ukeod"
            : "/repos/octokit-fixture-org/rename-repository"
        let newPath = raw ? "/repositories/515436299" : "/repositories/1000"
        try await ReplayServer.with("rename-repository", raw: raw) { replay in
            try await ClientHarness.withClient(baseURL: replay.baseURL) { client, _ in
                let tally = RequestTally()
                let response = try await client.get(oldPath, tally: tally)
                #expect(response.status == 200)
                #expect(response.movedPermanentlyTo == replay.baseURL + newPath)
                #expect(response.url == replay.baseURL + newPath)
                let repository = try client.decode(GitHubRepository.self, from: response)
                #expect(repository.fullName.hasPrefix("octokit-fixture-org/"))
                #expect(repository.fullName.contains("rename-repository"))
                #expect(tally.countsByStatus == ["301": 1, "200": 1])
            }
        }
    }

    @Test("get-repository decodes id, full name and default branch")
    func getRepository() async throws {
        try await ReplayServer.with("get-repository") { replay in
            try await ClientHarness.withClient(baseURL: replay.baseURL) { client, _ in
                let response = try await client.get("/repos/octokit-fixture-org/hello-world")
                #expect(response.etag == #""00000000000000000000000000000000""#)
                let repository = try client.decode(GitHubRepository.self, from: response)
                #expect(repository == GitHubRepository(id: 1000, fullName: "octokit-fixture-org/hello-world", defaultBranch: "master"))
            }
        }
    }

    @Test("git refs decode; the repeated path answers its recordings in order")
    func gitRefs() async throws {
        try await ReplayServer.with("git-refs") { replay in
            try await ClientHarness.withClient(baseURL: replay.baseURL) { client, _ in
                let first = try client.decode([GitHubGitRef].self, from: try await client.get("/repos/octokit-fixture-org/git-refs/git/refs/"))
                let second = try client.decode([GitHubGitRef].self, from: try await client.get("/repos/octokit-fixture-org/git-refs/git/refs/"))
                let main = GitHubGitRef(ref: "refs/heads/main", object: .init(type: "commit", sha: "0000000000000000000000000000000000000001"))
                #expect(first == [main])
                #expect(second.map(\.ref) == ["refs/heads/main", "refs/heads/test"])
            }
        }
    }

    @Test("labels decode from label objects")
    func labels() async throws {
        try await ReplayServer.with("labels") { replay in
            try await ClientHarness.withClient(baseURL: replay.baseURL) { client, _ in
                let all = try client.decode([GitHubLabel].self, from: try await client.get("/repos/octokit-fixture-org/labels/labels"))
                #expect(all.count == 9)
                #expect(all.first == GitHubLabel(name: "bug"))
                let one = try client.decode(GitHubLabel.self, from: try await client.get("/repos/octokit-fixture-org/labels/labels/test-label"))
                #expect(one.name == "test-label")
            }
        }
    }

    @Test("a release fetched by tag decodes with its dates")
    func releaseByTag() async throws {
        try await ReplayServer.with("release-assets") { replay in
            try await ClientHarness.withClient(baseURL: replay.baseURL) { client, _ in
                let response = try await client.get("/repos/octokit-fixture-org/release-assets/releases/tags/v1.0.0")
                let release = try client.decode(GitHubRelease.self, from: response)
                let date = Date(timeIntervalSince1970: 1_507_651_200)
                #expect(
                    release
                        == GitHubRelease(
                            id: 1000, tagName: "v1.0.0", targetCommitish: "0000000000000000000000000000000000000001",
                            name: "Version 1.0.0", draft: false, prerelease: false, createdAt: date, publishedAt: date))
            }
        }
    }

    @Test("a recorded 422 becomes a .client error carrying GitHub's message")
    func recordedValidationError() async throws {
        try await ReplayServer.with("errors") { replay in
            try await ClientHarness.withClient(baseURL: replay.baseURL) { client, sleeps in
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/octokit-fixture-org/errors/labels") }
                #expect(error?.kind == .client)
                #expect(error?.status == 422)
                #expect(error?.message == "Validation Failed")
                #expect(sleeps.recorded.isEmpty)
            }
        }
    }

    @Test("a recorded 404 becomes .notFound carrying GitHub's message")
    func recordedNotFound() async throws {
        try await ReplayServer.with("branch-protection") { replay in
            try await ClientHarness.withClient(baseURL: replay.baseURL) { client, _ in
                let error = await ClientHarness.expectGitHubError {
                    _ = try await client.get("/repos/octokit-fixture-org/branch-protection/branches/main/protection")
                }
                #expect(error?.kind == .notFound)
                #expect(error?.message == "Branch not protected")
            }
        }
    }
}
