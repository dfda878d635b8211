import Foundation
import GitHubSimulator
import Testing

@Suite("Organisation and installation repository discovery")
struct DiscoveryTests {
    @Test("GET /orgs/{org}/repos pages with Link, carries the repository metadata, and answers 304 for free")
    func organisationListing() async throws {
        let fixture = try AppFixture()
        let github = fixture.github
        try await SimulatorHarness.run(github) { harness in
            let (pages, items) = try await harness.walk("/orgs/acme/repos?per_page=3&sort=full_name")
            #expect(pages.count == 3)
            #expect(items.compactMap { $0["full_name"] as? String } == (0..<7).map { "acme/svc-\($0)" })
            #expect(pages[0].links["last"]?.hasSuffix("/orgs/acme/repos?per_page=3&sort=full_name&page=3") == true)
            let byName = Dictionary(uniqueKeysWithValues: items.map { ($0["name"] as? String ?? "", $0) })
            #expect(byName["svc-2"]?["archived"] as? Bool == true)
            #expect(byName["svc-1"]?["archived"] as? Bool == false)
            #expect(byName["svc-3"]?["fork"] as? Bool == true)
            #expect(byName["svc-4"]?["topics"] as? [String] == ["team-payments", "tier-1"])
            #expect(byName["svc-5"]?["visibility"] as? String == "private")
            #expect(byName["svc-5"]?["private"] as? Bool == true)
            #expect(byName["svc-0"]?["default_branch"] as? String == "main")
            #expect((byName["svc-0"]?["owner"] as? [String: Any])?["type"] as? String == "Organization")

            let forks = try await harness.get("/orgs/acme/repos?type=forks")
            #expect(forks.array.compactMap { $0["name"] as? String } == ["svc-3"])
            let sources = try await harness.get("/orgs/acme/repos?type=sources&per_page=100")
            #expect(sources.array.count == 6)
            let descending = try await harness.get("/orgs/acme/repos?sort=full_name&direction=desc&per_page=2")
            #expect(descending.array.compactMap { $0["name"] as? String } == ["svc-6", "svc-5"])
            #expect(try await harness.get("/orgs/acme/repos?type=bogus").status == 422)
            #expect(try await harness.get("/orgs/nobody/repos").status == 404)

            let first = try await harness.get("/orgs/acme/repos?per_page=3&sort=full_name")
            let etag = try #require(first.header("etag"))
            let remaining = github.rateLimitRemaining
            let again = try await harness.get("/orgs/acme/repos?per_page=3&sort=full_name", headers: [("If-None-Match", etag)])
            #expect(again.status == 304)
            #expect(again.header("link") != nil)
            #expect(github.rateLimitRemaining == remaining)

            // Changes show up, and change the ETag: archive, unarchive, topics, a new repository, a deletion.
            github.setArchived("acme/svc-0", true)
            github.setTopics("acme/svc-1", ["new-topic"])
            github.add([Fixtures.repository(commits: 10, owner: "acme", name: "svc-new")])
            github.delete("acme/svc-6")
            #expect(try await harness.get("/orgs/acme/repos?per_page=3&sort=full_name", headers: [("If-None-Match", etag)]).status == 200)
            let changed = try await harness.walk("/orgs/acme/repos?per_page=100&sort=full_name").items
            let names = changed.compactMap { $0["name"] as? String }
            #expect(names.contains("svc-new") && !names.contains("svc-6"))
            #expect(changed.first { $0["name"] as? String == "svc-0" }?["archived"] as? Bool == true)
            #expect(changed.first { $0["name"] as? String == "svc-1" }?["topics"] as? [String] == ["new-topic"])
            github.setArchived("acme/svc-0", false)
            let single = try await harness.get("/repos/acme/svc-0")
            #expect(single.object["archived"] as? Bool == false)
            #expect(single.object["topics"] as? [String] == [])
        }
    }

    @Test("an installation token sees exactly its installation's repositories")
    func installationScoping() async throws {
        let fixture = try AppFixture()
        let github = fixture.github
        try await SimulatorHarness.run(github) { harness in
            let jwt = try fixture.jwt()
            let selected = try await harness.installationToken(AppFixture.selectedInstallation, jwt: jwt)
            let listing = try await harness.get("/installation/repositories", headers: AppFixture.bearer(selected))
            #expect(listing.status == 200)
            #expect(listing.object["total_count"] as? Int == 2)
            #expect(listing.object["repository_selection"] as? String == "selected")
            let repositories = listing.object["repositories"] as? [[String: Any]] ?? []
            #expect(repositories.compactMap { $0["full_name"] as? String } == ["beta/lib-0", "beta/lib-2"])

            #expect(try await harness.get("/repos/beta/lib-0/commits", headers: AppFixture.bearer(selected)).status == 200)
            #expect(try await harness.get("/repos/beta/lib-1", headers: AppFixture.bearer(selected)).status == 404)
            #expect(try await harness.get("/repos/acme/svc-0", headers: AppFixture.bearer(selected)).status == 404)
            let visible = try await harness.get("/orgs/beta/repos", headers: AppFixture.bearer(selected))
            #expect(visible.array.count == 2)

            let all = try await harness.installationToken(AppFixture.allInstallation, jwt: jwt)
            let pages = try await harness.walkAuthorised("/installation/repositories?per_page=4", token: all)
            #expect(pages.count == 2)
            let total = pages.first?.object["total_count"] as? Int
            #expect(total == 7)
            #expect(try await harness.get("/repos/beta/lib-0", headers: AppFixture.bearer(all)).status == 404)
            // `repositories: nil` covers repositories added to the organisation later.
            github.add(Fixtures.repository(commits: 10, owner: "acme", name: "later"))
            #expect(try await harness.get("/repos/acme/later", headers: AppFixture.bearer(all)).status == 200)

            let etag = try #require(pages.first?.header("etag"))
            let notModified = try await harness.get(
                "/installation/repositories?per_page=4", headers: AppFixture.bearer(all) + [("If-None-Match", etag)])
            #expect(notModified.status == 200, "a new repository changes the first page")
            let unchanged = try await harness.get(
                "/installation/repositories?per_page=4",
                headers: AppFixture.bearer(all) + [("If-None-Match", notModified.header("etag") ?? "")])
            #expect(unchanged.status == 304)
        }
        let log = github.requestLog
        #expect(log.filter { $0.status == 304 }.allSatisfy { !$0.countedAgainstLimit })
    }
}

extension SimulatorHarness {
    /// Follows `link rel="next"` with a token, returning every page.
    func walkAuthorised(_ path: String, token: String) async throws -> [Reply] {
        var pages: [Reply] = []
        var next: String? = path
        while let url = next, pages.count < 100 {
            let reply = try await get(url, headers: AppFixture.bearer(token))
            guard reply.status == 200 else { throw HarnessError(message: "GET \(url) answered \(reply.status)") }
            pages.append(reply)
            next = reply.links["next"]
        }
        return pages
    }
}
