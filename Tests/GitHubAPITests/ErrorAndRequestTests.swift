import AsyncHTTPClient
import Foundation
import GitHubAPI
import Testing

@Suite("Request headers, conditional requests, redirects and error kinds")
struct ErrorAndRequestTests {
    @Test("every request carries Accept, API version, User-Agent and the bearer token")
    func sendsGitHubHeaders() async throws {
        try await ScriptedServer.with([.json(200, "[]")]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, configure: {
                $0.apiVersion = "2026-03-10"
                $0.userAgent = "twin-test/1"
            }) { client, _ in
                _ = try await client.get("/repos/o/r/commits?sha=main&per_page=100")
                let request = try #require(server.received.first)
                #expect(request.pathAndQuery == "/repos/o/r/commits?sha=main&per_page=100")
                #expect(request.header("accept") == "application/vnd.github+json")
                #expect(request.header("x-github-api-version") == "2026-03-10")
                #expect(request.header("user-agent") == "twin-test/1")
                #expect(request.header("authorization") == "Bearer \(ClientHarness.token)")
                #expect(request.header("if-none-match") == nil)
            }
        }
    }

    @Test("without a token no Authorization header is sent")
    func noTokenNoAuthorization() async throws {
        try await ScriptedServer.with([.json(200, "[]")]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, token: nil) { client, _ in
                _ = try await client.get("repos/o/r/tags")
                let request = try #require(server.received.first)
                #expect(request.header("authorization") == nil)
                #expect(request.pathAndQuery == "/repos/o/r/tags")
            }
        }
    }

    @Test("a GHES base URL with a path prefix gets the path appended; absolute URLs are used verbatim")
    func baseURLWithPrefixAndAbsoluteURLs() async throws {
        try await ScriptedServer.with([.json(200, "[]")]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL + "/api/v3/") { client, _ in
                _ = try await client.get("/repos/o/r/releases?per_page=100")
                _ = try await client.get(server.baseURL + "/repositories/7/releases?per_page=100&page=2")
                #expect(server.received.map(\.pathAndQuery) == [
                    "/api/v3/repos/o/r/releases?per_page=100", "/repositories/7/releases?per_page=100&page=2",
                ])
            }
        }
    }

    @Test("If-None-Match is sent verbatim and a 304 comes back with an empty body and is tallied")
    func conditionalRequest() async throws {
        let etag = #"W/"0123abcd""#
        try await ScriptedServer.with([.respond(status: 304, headers: ["etag": etag])]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, _ in
                let tally = RequestTally()
                let response = try await client.get("/repos/o/r/issues?state=all", ifNoneMatch: etag, tally: tally)
                #expect(response.status == 304)
                #expect(response.isNotModified)
                #expect(response.body.isEmpty)
                #expect(response.etag == etag)
                #expect(server.received.first?.header("if-none-match") == etag)
                #expect(tally.countsByStatus == ["304": 1])
            }
        }
    }

    @Test("an empty 204 list answer is returned as 204 and decodes as an empty list")
    func noContentListDecodesEmpty() async throws {
        try await ScriptedServer.with([.respond(status: 204)]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, _ in
                let response = try await client.get("/repos/o/r/deployments")
                #expect(response.status == 204)
                #expect(try client.decode([GitHubDeployment].self, from: response).isEmpty)
                #expect(throws: GitHubError.self) { try client.decode(GitHubRepository.self, from: response) }
            }
        }
    }

    @Test("301 is followed and reported; 302 and 307 are followed without being reported")
    func redirects() async throws {
        try await ScriptedServer.with([
            .json(301, #"{"message": "Moved Permanently"}"#, headers: ["location": "/repositories/42"]),
            .json(200, #"{"id": 42, "full_name": "o/new", "default_branch": "main"}"#),
            .respond(status: 302, headers: ["location": "/repositories/42/tags"]),
            .respond(status: 307, headers: ["location": "/repositories/42/tags?page=1"]),
            .json(200, "[]"),
        ]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, _ in
                let tally = RequestTally()
                let moved = try await client.get("/repos/o/old", tally: tally)
                #expect(moved.movedPermanentlyTo == server.baseURL + "/repositories/42")
                #expect(moved.url == server.baseURL + "/repositories/42")
                #expect(try client.decode(GitHubRepository.self, from: moved).fullName == "o/new")
                let temporary = try await client.get("/repos/o/old/tags", tally: tally)
                #expect(temporary.movedPermanentlyTo == nil)
                #expect(temporary.url == server.baseURL + "/repositories/42/tags?page=1")
                #expect(tally.countsByStatus == ["301": 1, "302": 1, "307": 1, "200": 2])
                #expect(server.received.allSatisfy { $0.header("authorization") != nil })
            }
        }
    }

    @Test("an HTTPClient that follows redirects by itself still yields movedPermanentlyTo and tallies the 301")
    func redirectsFollowedByHTTPClient() async throws {
        try await ScriptedServer.with([
            .json(301, #"{"message": "Moved Permanently"}"#, headers: ["location": "/repositories/42"]),
            .json(200, #"{"id": 42, "full_name": "o/new", "default_branch": "main"}"#),
        ]) { server in
            var following = HTTPClient.Configuration()
            following.redirectConfiguration = .follow(max: 5, allowCycles: false)
            try await ClientHarness.withClient(baseURL: server.baseURL, httpConfiguration: following) { client, _ in
                let tally = RequestTally()
                let response = try await client.get("/repos/o/old", tally: tally)
                #expect(response.movedPermanentlyTo == server.baseURL + "/repositories/42")
                #expect(response.url == server.baseURL + "/repositories/42")
                #expect(tally.countsByStatus == ["301": 1, "200": 1])
            }
        }
    }

    @Test("redirect loops stop after the configured number of hops")
    func redirectLoopIsBounded() async throws {
        try await ScriptedServer.with([.respond(status: 302, headers: ["location": "/again"])]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, configure: { $0.maxRedirects = 3 }) { client, _ in
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/start") }
                #expect(error?.kind == .client)
                #expect(server.received.count == 4)
            }
        }
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var status: Int
        var body: String
        var kind: GitHubError.Kind
        var mentions: [String]
        var testDescription: String { "\(status) -> \(kind)" }
    }

    static let errorCases: [ErrorCase] = [
        .init(status: 401, body: #"{"message": "Bad credentials"}"#, kind: .unauthorized,
              mentions: ["401 Bad credentials", "check GITHUB_TOKEN", "GET /repos/o/r/commits?sha=main"]),
        .init(status: 403, body: #"{"message": "Resource not accessible by personal access token"}"#, kind: .forbidden,
              mentions: ["the token lacks permission", "Resource not accessible", "403"]),
        .init(status: 404, body: #"{"message": "Not Found"}"#, kind: .notFound,
              mentions: ["repository or branch not found, or the token cannot see it", "404 Not Found"]),
        .init(status: 409, body: #"{"message": "Git Repository is empty."}"#, kind: .client, mentions: ["Git Repository is empty.", "409"]),
        .init(status: 422, body: #"{"message": "Validation Failed"}"#, kind: .client, mentions: ["422 Validation Failed"]),
        .init(status: 410, body: "", kind: .client, mentions: ["(410)"]),
    ]

    @Test("error statuses map to kinds whose description names endpoint, message and remedy", arguments: errorCases)
    func errorKinds(_ errorCase: ErrorCase) async throws {
        try await ScriptedServer.with([.json(errorCase.status, errorCase.body)]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, sleeps in
                let tally = RequestTally()
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/o/r/commits?sha=main", tally: tally) }
                let unwrapped = try #require(error)
                #expect(unwrapped.kind == errorCase.kind)
                #expect(unwrapped.status == errorCase.status)
                for text in errorCase.mentions {
                    #expect(unwrapped.description.contains(text), "\(unwrapped.description)")
                }
                #expect(!unwrapped.description.contains(ClientHarness.token))
                #expect(!unwrapped.description.lowercased().contains("bearer"))
                #expect(unwrapped.description.count < 400)
                #expect(sleeps.recorded.isEmpty)
                #expect(server.received.count == 1)
                #expect(tally.countsByStatus == [String(errorCase.status): 1])
            }
        }
    }

    @Test("the token never appears in errors, even when a server echoes it in its message or URL")
    func tokenNeverInDescriptions() async throws {
        let echo = #"{"message": "token \#(ClientHarness.token) is invalid"}"#
        try await ScriptedServer.with([.json(401, echo)]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, _ in
                let error = await ClientHarness.expectGitHubError {
                    _ = try await client.get("/repos/o/r?access_token=\(ClientHarness.token)")
                }
                let unwrapped = try #require(error)
                #expect(!unwrapped.description.contains(ClientHarness.token))
                #expect(!unwrapped.endpoint.contains(ClientHarness.token))
                #expect(!(unwrapped.message ?? "").contains(ClientHarness.token))
                #expect(!String(reflecting: unwrapped).contains(ClientHarness.token))
            }
        }
    }

    @Test("a very long GitHub message is truncated in the description")
    func descriptionIsBounded() async throws {
        let long = String(repeating: "x", count: 5000)
        try await ScriptedServer.with([.json(422, #"{"message": "\#(long)"}"#)]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, _ in
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/o/r") }
                #expect((error?.description.count ?? 0) < 400)
            }
        }
    }
}
