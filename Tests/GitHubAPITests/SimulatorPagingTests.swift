import Foundation
import GitHubAPI
import GitHubSimulator
import Logging
import Testing

@Suite("The client against the simulated GitHub")
struct SimulatorPagingTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    static func withSimulator<T: Sendable>(
        commits: Int, requiredToken: String? = ClientHarness.token, _ body: (GitHubSimulatorServer, SimulatedRepository) async throws -> T
    ) async throws -> T {
        let repository = SimulatedRepository.generated(owner: "acme", name: "shop", seed: 11, commits: commits, now: now)
        let github = SimulatedGitHub(repositories: [repository], requiredToken: requiredToken)
        let server = try await GitHubSimulatorServer.start(github: github, logger: ClientHarness.quietLogger())
        do {
            let result = try await body(server, repository)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Follows `Link: rel="next"` from `first`, returning all decoded items and the number of pages.
    static func pageAll<T: Decodable>(
        _ type: T.Type, client: GitHubClient, first: String, tally: RequestTally
    ) async throws -> (items: [T], pages: Int) {
        var items: [T] = []
        var pages = 0
        var next: String? = first
        while let url = next, pages < 1000 {
            let response = try await client.get(url, tally: tally)
            items += try client.decode([T].self, from: response)
            next = response.nextURL
            pages += 1
        }
        return (items, pages)
    }

    @Test("pages through all commits of the default branch with per_page=100")
    func pagesThroughCommits() async throws {
        try await Self.withSimulator(commits: 250) { server, repository in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, _ in
                let tally = RequestTally()
                let branch = repository.defaultBranch
                let (commits, pages) = try await Self.pageAll(
                    GitHubCommit.self, client: client, first: "/repos/acme/shop/commits?sha=\(branch)&per_page=100", tally: tally)
                #expect(pages == (commits.count + 99) / 100)
                #expect(commits.count == repository.commits.count)
                #expect(Set(commits.map(\.sha)).count == commits.count)
                #expect(Set(commits.map(\.sha)).isSubset(of: Set(repository.commits.map(\.sha))))
                #expect(tally.countsByStatus == ["200": pages])
                #expect(client.lastRateLimit?.remaining == 5000 - pages)
            }
        }
    }

    @Test("a repeated page with its ETag answers 304 and injected 502s are retried")
    func conditionalAndFaults() async throws {
        try await Self.withSimulator(commits: 30) { server, _ in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, sleeps in
                let tally = RequestTally()
                let first = try await client.get("/repos/acme/shop/tags?per_page=100", tally: tally)
                let etag = try #require(first.etag)
                let again = try await client.get("/repos/acme/shop/tags?per_page=100", ifNoneMatch: etag, tally: tally)
                #expect(again.status == 304)
                server.github.inject(.status(502, pathContains: "/releases", count: 2))
                let releases = try await client.get("/repos/acme/shop/releases?per_page=100", tally: tally)
                #expect(releases.status == 200)
                _ = try client.decode([GitHubRelease].self, from: releases)
                #expect(tally.countsByStatus == ["200": 2, "304": 1, "502": 2])
                #expect(sleeps.recorded == [.seconds(1), .seconds(2)])
            }
        }
    }

    @Test("a renamed repository is followed and reported; a wrong token is .unauthorized")
    func renameAndAuth() async throws {
        try await Self.withSimulator(commits: 10) { server, _ in
            server.github.rename("acme/shop", to: "acme/store")
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, _ in
                let response = try await client.get("/repos/acme/shop")
                #expect(response.movedPermanentlyTo != nil)
                #expect(try client.decode(GitHubRepository.self, from: response).fullName == "acme/store")
            }
            try await ClientHarness.withClient(baseURL: server.baseURL, token: "wrong") { client, _ in
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/acme/store") }
                #expect(error?.kind == .unauthorized)
                #expect(error?.description.contains("check GITHUB_TOKEN") == true)
            }
        }
    }
}
