import AsyncHTTPClient
import Logging
import Neo4jFake
import Neo4jHTTP
import Synchronization
import Testing

/// Records the backoff sleeps instead of sleeping.
final class SleepRecorder: Sendable {
    private let sleeps = Mutex<[Duration]>([])
    var recorded: [Duration] { sleeps.withLock { $0 } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { duration in self.sleeps.withLock { $0.append(duration) } }
    }
}

func makeClient(
    _ server: Neo4jFakeServer, authentication: Neo4jAuthentication = .basic(user: "neo4j", password: "secret"),
    database: String = "neo4j", flavour: Neo4jAPIFlavour? = nil, maxRetries: Int = 3, timeout: Duration = .seconds(10),
    sleeper: SleepRecorder = SleepRecorder()
) throws -> Neo4jClient {
    let configuration = Neo4jClientConfiguration(
        url: server.url, database: database, authentication: authentication, requestTimeout: timeout, maxRetries: maxRetries,
        flavour: flavour)
    return try Neo4jClient(configuration: configuration, httpClient: .shared, logger: Logger(label: "test"), sleep: sleeper.sleep)
}

@Suite("Neo4jClient against the fake")
struct Neo4jClientTests {
    @Test("discovery picks the Query API when advertised, else the classic endpoint", arguments: [
        (FakeNeo4jVersion.v4_4, Neo4jAPIFlavour.transactional), (.v5_26, .queryAPI), (.v2025, .queryAPI),
    ])
    func discoveryChoosesFlavour(version: FakeNeo4jVersion, expected: Neo4jAPIFlavour) async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: version))
        defer { Task { await server.stop() } }
        let client = try makeClient(server)
        let info = try await client.discover()
        #expect(info.flavour == expected)
        #expect(info.version == version.rawValue)
        _ = try await client.run(CypherStatement("RETURN 1 AS n"))
        let paths = server.neo4j.requests.map(\.path)
        #expect(paths == ["/", expected == .queryAPI ? "/db/neo4j/query/v2" : "/db/neo4j/tx/commit"])
    }

    @Test("a forced flavour is used without discovery")
    func forcedFlavour() async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v2025))
        defer { Task { await server.stop() } }
        let client = try makeClient(server, flavour: .transactional)
        _ = try await client.run(CypherStatement("RETURN 1 AS n"))
        #expect(server.neo4j.requests.map(\.path) == ["/db/neo4j/tx/commit"])
    }

    @Test("parameters of every JSON type round-trip in both flavours", arguments: Neo4jAPIFlavour.allCases)
    func parametersRoundTrip(flavour: Neo4jAPIFlavour) async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v5_26))
        defer { Task { await server.stop() } }
        let client = try makeClient(server, flavour: flavour)
        let parameters: [String: CypherValue] = [
            "s": "quote \" backslash \\ brace } newline \n MATCH (n) DETACH DELETE n", "i": 42, "f": 1.5, "b": true,
            "n": nil, "l": [1, "two"], "m": ["k": "v"],
        ]
        let result = try await client.run(
            CypherStatement("RETURN $s AS s, $i AS i, $f AS f, $b AS b, $n AS n, $l AS l, $m AS m", parameters: parameters))
        #expect(result.fields == ["s", "i", "f", "b", "n", "l", "m"])
        let record = try #require(result.records.first)
        #expect(record == parameters)
        let recorded = try #require(server.neo4j.statements.last)
        #expect(recorded.parameters["s"] == .string("quote \" backslash \\ brace } newline \n MATCH (n) DETACH DELETE n"))
        #expect(recorded.endpoint == (flavour == .queryAPI ? "query" : "tx"))
    }

    @Test("a batch is one request on the classic endpoint and one per statement on the Query API", arguments: Neo4jAPIFlavour.allCases)
    func batchRequests(flavour: Neo4jAPIFlavour) async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v5_26))
        defer { Task { await server.stop() } }
        let client = try makeClient(server, flavour: flavour)
        let tally = Neo4jRequestTally()
        let results = try await client.runBatch(
            (1...3).map { CypherStatement("RETURN $x AS x", parameters: ["x": .int(Int64($0))]) }, tally: tally)
        #expect(results.map { $0.rows.first?.first } == [.int(1), .int(2), .int(3)])
        #expect(tally.requests == (flavour == .queryAPI ? 3 : 1))
        #expect(tally.statements == 3)
    }

    @Test("a failing statement rolls back the whole classic batch")
    func classicBatchRollsBack() async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v4_4))
        defer { Task { await server.stop() } }
        let client = try makeClient(server)
        let merge = CypherStatement(
            "UNWIND $rows AS row MERGE (n:Thing {repository: row.repository, id: row.id})",
            parameters: ["rows": [["repository": "o/r", "id": 1]]])
        await #expect(throws: Neo4jError.self) {
            try await client.runBatch([merge, CypherStatement("THIS IS NOT CYPHER")])
        }
        #expect(server.neo4j.graph.nodes.isEmpty)
        _ = try await client.runBatch([merge])
        #expect(server.neo4j.graph.nodeCounts == ["Thing": 1])
    }

    @Test("bad credentials fail as unauthorized, once, without the password in the error", arguments: Neo4jAPIFlavour.allCases)
    func badCredentials(flavour: Neo4jAPIFlavour) async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v5_26))
        defer { Task { await server.stop() } }
        let client = try makeClient(server, authentication: .basic(user: "neo4j", password: "hunter2-wrong"), flavour: flavour)
        do {
            _ = try await client.run(CypherStatement("RETURN 1 AS n"))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unauthorized)
            #expect(error.status == 401)
            #expect(error.code == "Neo.ClientError.Security.Unauthorized")
            #expect(error.message == "Invalid username or password.")
            #expect(!error.description.contains("hunter2"))
            #expect(!"\(error)".contains("hunter2"))
            #expect(!String(reflecting: client.configuration).contains("hunter2"))
        }
        #expect(server.neo4j.requests.count == 1)
    }

    @Test("a missing Authorization header gets Neo4j's 401 body")
    func missingAuthentication() async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v4_4))
        defer { Task { await server.stop() } }
        let client = try makeClient(server, authentication: .none)
        let error = await #expect(throws: Neo4jError.self) { try await client.run(CypherStatement("RETURN 1 AS n")) }
        #expect(error?.kind == .unauthorized)
        #expect(error?.message == "No authentication header supplied.")
    }

    @Test("bearer tokens are accepted")
    func bearer() async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v2025, credentials: nil, bearerToken: "sso-token"))
        defer { Task { await server.stop() } }
        let client = try makeClient(server, authentication: .bearer(token: "sso-token"))
        let result = try await client.run(CypherStatement("RETURN 7 AS n"))
        #expect(result.rows == [[.int(7)]])
        #expect(!Neo4jAuthentication.bearer(token: "sso-token").description.contains("sso-token"))
    }

    @Test("client errors keep Neo4j's code and message and are not retried", arguments: Neo4jAPIFlavour.allCases)
    func syntaxErrorNotRetried(flavour: Neo4jAPIFlavour) async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v5_26))
        defer { Task { await server.stop() } }
        let sleeper = SleepRecorder()
        let client = try makeClient(server, flavour: flavour, sleeper: sleeper)
        let error = await #expect(throws: Neo4jError.self) { try await client.run(CypherStatement("MATCH (n RETURN n")) }
        #expect(error?.kind == .client)
        #expect(error?.code == "Neo.ClientError.Statement.SyntaxError")
        #expect(error?.message?.isEmpty == false)
        #expect(server.neo4j.requests.count == 1)
        #expect(sleeper.recorded.isEmpty)
    }

    @Test("an unknown database is a client error naming it")
    func unknownDatabase() async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v5_26))
        defer { Task { await server.stop() } }
        let client = try makeClient(server, database: "missing")
        let error = await #expect(throws: Neo4jError.self) { try await client.run(CypherStatement("RETURN 1 AS n")) }
        #expect(error?.code == "Neo.ClientError.Database.DatabaseNotFound")
        #expect(error?.isRetryable == false)
    }

    @Test("transient errors are retried with growing backoff", arguments: Neo4jAPIFlavour.allCases)
    func transientRetried(flavour: Neo4jAPIFlavour) async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v5_26))
        defer { Task { await server.stop() } }
        server.neo4j.inject(.deadlock, count: 2)
        let sleeper = SleepRecorder()
        let client = try makeClient(server, flavour: flavour, maxRetries: 3, sleeper: sleeper)
        let result = try await client.run(CypherStatement("RETURN 1 AS n"))
        #expect(result.rows == [[.int(1)]])
        #expect(sleeper.recorded == [.milliseconds(500), .seconds(1)])
        #expect(server.neo4j.requests.count == 3)
    }

    @Test("transient errors past the retry budget surface with their code")
    func transientExhausted() async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v4_4))
        defer { Task { await server.stop() } }
        server.neo4j.inject(.deadlock)
        let client = try makeClient(server, maxRetries: 2)
        let error = await #expect(throws: Neo4jError.self) { try await client.run(CypherStatement("RETURN 1 AS n")) }
        #expect(error?.kind == .transient)
        #expect(error?.code == "Neo.TransientError.Transaction.DeadlockDetected")
        #expect(server.neo4j.requests.filter { $0.path != "/" }.count == 3)
    }

    @Test("503 is retried, then reported as a server error")
    func unavailable() async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v5_26))
        defer { Task { await server.stop() } }
        server.neo4j.inject(.unavailable)
        let client = try makeClient(server, flavour: .queryAPI, maxRetries: 2)
        let error = await #expect(throws: Neo4jError.self) { try await client.run(CypherStatement("RETURN 1 AS n")) }
        #expect(error?.kind == .server)
        #expect(error?.status == 503)
        #expect(server.neo4j.requests.count == 3)
    }

    @Test("a server that never answers fails with a timeout after the deadline")
    func timeout() async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v5_26))
        defer { Task { await server.stop() } }
        server.neo4j.inject(.hang)
        // A deadline a loaded machine still connects within, so the retry reaches the fake before it expires.
        let client = try makeClient(server, flavour: .queryAPI, maxRetries: 1, timeout: .seconds(1))
        let error = await #expect(throws: Neo4jError.self) { try await client.run(CypherStatement("RETURN 1 AS n")) }
        #expect(error?.kind == .timeout)
        #expect(server.neo4j.requests.count == 2)
        server.neo4j.clearFaults()
    }

    @Test("a server that is down fails as transport, and works again once back")
    func downThenBack() async throws {
        let server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: .v4_4))
        defer { Task { await server.stop() } }
        // A refused connection surfaces at the deadline (AsyncHTTPClient keeps trying to connect until then).
        let client = try makeClient(server, maxRetries: 1, timeout: .milliseconds(500))
        _ = try await client.discover()
        await server.stop()
        let error = await #expect(throws: Neo4jError.self) { try await client.run(CypherStatement("RETURN 1 AS n")) }
        #expect(error?.kind == .transport)
        try await server.restart()
        let result = try await client.run(CypherStatement("RETURN 2 AS n"))
        #expect(result.rows == [[.int(2)]])
    }

    @Test("URLs with credentials or another scheme are refused", arguments: ["http://neo4j:pw@localhost:7474", "bolt://localhost:7687", "localhost"])
    func badURL(url: String) {
        #expect(throws: Neo4jError.self) {
            try Neo4jClient(configuration: Neo4jClientConfiguration(url: url), httpClient: .shared, logger: Logger(label: "test"))
        }
        do {
            _ = try Neo4jClient(configuration: Neo4jClientConfiguration(url: url), httpClient: .shared, logger: Logger(label: "test"))
        } catch {
            #expect(!error.description.contains("pw@"))
        }
    }
}
