import Foundation
import JSONEscaping
import Synchronization

/// The state of a fake Neo4j: version, credentials, faults, the recorded statements and the in-memory graph.
/// Served over HTTP by `Neo4jFakeServer`; tests read and steer it directly.
public final class FakeNeo4j: Sendable {
    /// A statement as received, with its parameters.
    public struct RecordedStatement: Sendable, Equatable {
        public var text: String
        public var parameters: [String: FakeJSON]
        /// "query" or "tx".
        public var endpoint: String
    }

    /// A request as received.
    public struct RecordedRequest: Sendable, Equatable {
        public var method: String
        public var path: String
        public var status: Int
        public var statements: Int
        public var authorization: String?
    }

    public let version: FakeNeo4jVersion
    public let databases: Set<String>
    private let credentials: (user: String, password: String)?
    private let bearerToken: String?

    private struct State {
        var graph = FakeGraph()
        var constraints = Set<String>()
        var statements: [RecordedStatement] = []
        var requests: [RecordedRequest] = []
        var faults: [(fault: FakeNeo4jFault, skip: Int, remaining: Int, includeDiscovery: Bool)] = []
        var waiters: [CheckedContinuation<Void, Never>] = []
        var recordStatements = true
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - credentials: required basic credentials; nil with `bearerToken` nil = auth disabled.
    ///   - bearerToken: accepted SSO token (sent base64-encoded, as Neo4j's docs show).
    public init(
        version: FakeNeo4jVersion = .v5_26, databases: Set<String> = ["neo4j"],
        credentials: (user: String, password: String)? = ("neo4j", "secret"), bearerToken: String? = nil
    ) {
        self.version = version
        self.databases = databases
        self.credentials = credentials
        self.bearerToken = bearerToken
    }

    // MARK: - Test controls

    /// The current graph content.
    public var graph: FakeGraph { state.withLock { $0.graph } }
    /// Constraint and index names created.
    public var constraintNames: Set<String> { state.withLock { $0.constraints } }
    /// Every statement received (in order), including those of failed requests.
    public var statements: [RecordedStatement] { state.withLock { $0.statements } }
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// Replaces the graph (e.g. to start from a copy).
    public func setGraph(_ graph: FakeGraph) { state.withLock { $0.graph = graph } }

    /// Forget recorded statements and requests (the graph stays).
    public func clearRecords() {
        state.withLock {
            $0.statements = []
            $0.requests = []
        }
    }

    /// Turn statement recording off (benchmarks with 100k rows).
    public func setRecordingStatements(_ enabled: Bool) { state.withLock { $0.recordStatements = enabled } }

    /// After letting `skip` requests through, the next `count` requests to the database endpoints (and discovery
    /// when asked) fail with `fault`.
    public func inject(_ fault: FakeNeo4jFault, skip: Int = 0, count: Int = Int.max, includeDiscovery: Bool = false) {
        state.withLock { $0.faults.append((fault, skip, count, includeDiscovery)) }
    }

    /// Removes every fault and releases hung requests.
    public func clearFaults() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.faults = []
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - Request handling

    /// An HTTP answer of the fake.
    struct Answer {
        var status: Int
        var body: String
        /// Never answer (hang fault).
        var hang = false
    }

    func handle(method: String, path: String, headers: [String: String], body: Data) -> Answer {
        let authorization = headers["authorization"]
        let answer = answer(method: method, path: path, headers: headers, body: body)
        state.withLock {
            $0.requests.append(RecordedRequest(method: method, path: path, status: answer.status, statements: 0, authorization: authorization))
        }
        return answer
    }

    /// Requests held by a `hang` fault right now (each one's client is waiting for an answer).
    public var hungRequestCount: Int { state.withLock { $0.waiters.count } }

    /// Suspends until faults are cleared.
    func waitForRelease() async {
        await withCheckedContinuation { continuation in
            state.withLock { $0.waiters.append(continuation) }
        }
    }

    private func takeFault(discovery: Bool) -> FakeNeo4jFault? {
        state.withLock { state in
            guard let index = state.faults.firstIndex(where: { $0.remaining > 0 && (!discovery || $0.includeDiscovery) }) else { return nil }
            if state.faults[index].skip > 0 {
                state.faults[index].skip -= 1
                return nil
            }
            state.faults[index].remaining -= 1
            return state.faults[index].fault
        }
    }

    private static func errorBody(_ code: String, _ message: String) -> String {
        #"{"errors":[{"code":"# + JSONString.quoted(code) + #","message":"# + JSONString.quoted(message) + "}]}"
    }

    private func answer(method: String, path: String, headers: [String: String], body: Data) -> Answer {
        let pathOnly = String(path.split(separator: "?", maxSplits: 1).first ?? "")
        if pathOnly == "/" || pathOnly.isEmpty {
            if let fault = takeFault(discovery: true), let answer = faultAnswer(fault, classic: false) { return answer }
            guard method == "GET" else { return Answer(status: 405, body: "") }
            return Answer(status: 200, body: discoveryDocument(host: headers["host"] ?? "127.0.0.1:7474"))
        }
        let parts = pathOnly.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "db" else { return Answer(status: 404, body: "") }
        let database = parts[1].removingPercentEncoding ?? parts[1]
        let rest = Array(parts.dropFirst(2))
        let classic: Bool
        if rest == ["tx", "commit"] {
            classic = true
        } else if rest == ["query", "v2"], version.hasQueryAPI {
            classic = false
        } else {
            return Answer(status: 404, body: "")
        }
        guard method == "POST" else { return Answer(status: 405, body: "") }
        // Authentication first, as Neo4j does.
        if let failure = authenticationFailure(headers["authorization"]) {
            return Answer(status: 401, body: Self.errorBody(failure.code, failure.message))
        }
        guard (headers["content-type"] ?? "").lowercased().hasPrefix("application/json") else {
            return Answer(
                status: 415, body: Self.errorBody("Neo.ClientError.Request.InvalidFormat", "Content-Type must be application/json"))
        }
        let accept = (headers["accept"] ?? "*/*").lowercased()
        guard accept.contains("application/json") || accept.contains("*/*") else {
            return Answer(status: 406, body: Self.errorBody("Neo.ClientError.Request.InvalidFormat", "Unsupported Accept: \(accept)"))
        }
        guard databases.contains(database) else {
            let body = Self.errorBody("Neo.ClientError.Database.DatabaseNotFound", "Database does not exist. Database name: '\(database)'.")
            return Answer(status: 404, body: body)
        }
        if let fault = takeFault(discovery: false), let answer = faultAnswer(fault, classic: classic) { return answer }
        guard let document = FakeJSON.parse(body)?.mapValue else {
            return Answer(status: 400, body: Self.errorBody("Neo.ClientError.Request.InvalidFormat", "Unable to deserialize request"))
        }
        return classic ? runClassic(document) : runQueryAPI(document)
    }

    private func faultAnswer(_ fault: FakeNeo4jFault, classic: Bool) -> Answer? {
        switch fault {
        case .unavailable: return Answer(status: 503, body: "")
        case .hang: return Answer(status: 0, body: "", hang: true)
        case .neo4jError(let code, let message):
            if classic {
                return Answer(status: 200, body: #"{"results":[],"errors":["# + Self.errorItem(code, message) + "]}")
            }
            return Answer(status: Self.queryAPIStatus(code), body: Self.errorBody(code, message))
        }
    }

    private static func errorItem(_ code: String, _ message: String) -> String {
        #"{"code":"# + JSONString.quoted(code) + #","message":"# + JSONString.quoted(message) + "}"
    }

    /// The fake's choice for the Query API's (undocumented) error statuses: 400 client, 503 transient, 500 others.
    static func queryAPIStatus(_ code: String) -> Int {
        if code.hasPrefix("Neo.ClientError.Security.") { return 401 }
        if code.hasPrefix("Neo.ClientError.") { return 400 }
        if code.hasPrefix("Neo.TransientError.") { return 503 }
        return 500
    }

    private func authenticationFailure(_ header: String?) -> FakeCypherFailure? {
        guard credentials != nil || bearerToken != nil else { return nil }
        guard let header else {
            return FakeCypherFailure(code: "Neo.ClientError.Security.Unauthorized", message: "No authentication header supplied.")
        }
        let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, let decoded = Data(base64Encoded: parts[1]).flatMap({ String(data: $0, encoding: .utf8) }) else {
            return FakeCypherFailure(code: "Neo.ClientError.Request.InvalidFormat", message: "Invalid authentication header.")
        }
        switch parts[0].lowercased() {
        case "basic":
            if let credentials, decoded == "\(credentials.user):\(credentials.password)" { return nil }
        case "bearer":
            if let bearerToken, decoded == bearerToken { return nil }
        default: break
        }
        return FakeCypherFailure(code: "Neo.ClientError.Security.Unauthorized", message: "Invalid username or password.")
    }

    private func discoveryDocument(host: String) -> String {
        var fields: [String: FakeJSON] = [
            "bolt_direct": .string("bolt://\(host.split(separator: ":").first ?? "127.0.0.1"):7687"),
            "bolt_routing": .string("neo4j://\(host.split(separator: ":").first ?? "127.0.0.1"):7687"),
            "transaction": .string("http://\(host)/db/{databaseName}/tx"),
            "neo4j_version": .string(version.rawValue),
            "neo4j_edition": .string("community"),
        ]
        if version.hasQueryAPI {
            fields["query"] = .string("http://\(host)/db/{databaseName}/query/v2")
            fields["dbms/cluster"] = .string("http://\(host)/dbms/cluster")
            fields["db/cluster"] = .string("http://\(host)/db/{databaseName}/cluster")
            fields["auth_config"] = .map(["oidc_providers": .list([])])
        }
        return FakeJSON.map(fields).json
    }

    private func record(_ text: String, _ parameters: [String: FakeJSON], endpoint: String) {
        state.withLock {
            if $0.recordStatements { $0.statements.append(RecordedStatement(text: text, parameters: parameters, endpoint: endpoint)) }
        }
    }

    private func runQueryAPI(_ document: [String: FakeJSON]) -> Answer {
        guard document["statements"] == nil, case .string(let text) = document["statement"] ?? .null else {
            return Answer(
                status: 400, body: Self.errorBody("Neo.ClientError.Request.Invalid", "Request body must contain one \"statement\""))
        }
        var parameters: [String: FakeJSON] = [:]
        if let raw = document["parameters"], raw != .null {
            guard let map = raw.mapValue else {
                return Answer(status: 400, body: Self.errorBody("Neo.ClientError.Request.Invalid", "parameters must be a map"))
            }
            parameters = map
        }
        record(text, parameters, endpoint: "query")
        let outcome: Result<FakeStatementResult, FakeCypherFailure> = state.withLock { state in
            var graph = state.graph
            var constraints = state.constraints
            do throws(FakeCypherFailure) {
                let result = try FakeCypherInterpreter.execute(text, parameters: parameters, graph: &graph, constraints: &constraints,
                    compositeUniqueness: self.version != .v4_4)
                state.graph = graph
                state.constraints = constraints
                return .success(result)
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .failure(let failure):
            return Answer(status: Self.queryAPIStatus(failure.code), body: Self.errorBody(failure.code, failure.message))
        case .success(let result):
            var body = #"{"data":{"fields":"# + FakeJSON.list(result.fields.map { .string($0) }).json
            body += #","values":"# + FakeJSON.list(result.rows.map { .list($0) }).json + "}"
            if document["includeCounters"] == .bool(true) {
                body += #","counters":"# + Self.counters(result, camelCase: true)
            }
            body += #","bookmarks":["FB:fake"]}"#
            return Answer(status: 202, body: body)
        }
    }

    private func runClassic(_ document: [String: FakeJSON]) -> Answer {
        guard let statements = document["statements"]?.listValue else {
            return Answer(status: 400, body: Self.errorBody("Neo.ClientError.Request.InvalidFormat", "Unable to deserialize request: expected statements"))
        }
        var parsed: [(String, [String: FakeJSON], Bool)] = []
        for item in statements {
            guard let map = item.mapValue, case .string(let text) = map["statement"] ?? .null else {
                return Answer(status: 200, body: #"{"results":[],"errors":["# + Self.errorItem("Neo.ClientError.Request.InvalidFormat", "statement missing") + "]}")
            }
            parsed.append((text, map["parameters"]?.mapValue ?? [:], map["includeStats"] == .bool(true)))
        }
        for (text, parameters, _) in parsed { record(text, parameters, endpoint: "tx") }
        // One implicit transaction: any failure rolls back every statement of the request.
        let outcome: Result<[FakeStatementResult], FakeCypherFailure> = state.withLock { state in
            var graph = state.graph
            var constraints = state.constraints
            var results: [FakeStatementResult] = []
            do throws(FakeCypherFailure) {
                for (text, parameters, _) in parsed {
                    results.append(try FakeCypherInterpreter.execute(text, parameters: parameters, graph: &graph, constraints: &constraints,
                    compositeUniqueness: self.version != .v4_4))
                }
                state.graph = graph
                state.constraints = constraints
                return .success(results)
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .failure(let failure):
            return Answer(status: 200, body: #"{"results":[],"errors":["# + Self.errorItem(failure.code, failure.message) + "]}")
        case .success(let results):
            let rendered = zip(results, parsed).map { result, statement -> String in
                var text = #"{"columns":"# + FakeJSON.list(result.fields.map { .string($0) }).json + #","data":["#
                text += result.rows.map { row in
                    #"{"row":"# + FakeJSON.list(row).json + #","meta":"# + FakeJSON.list(row.map { _ in .null }).json + "}"
                }.joined(separator: ",")
                text += "]"
                if statement.2 { text += #","stats":"# + Self.counters(result, camelCase: false) }
                return text + "}"
            }
            return Answer(status: 200, body: #"{"results":["# + rendered.joined(separator: ",") + #"],"errors":[],"lastBookmarks":["FB:fake"]}"#)
        }
    }

    private static func counters(_ result: FakeStatementResult, camelCase: Bool) -> String {
        let values: [(String, String, Int)] = [
            ("nodesCreated", "nodes_created", result.nodesCreated), ("nodesDeleted", "nodes_deleted", result.nodesDeleted),
            ("relationshipsCreated", "relationships_created", result.relationshipsCreated),
            ("relationshipsDeleted", "relationships_deleted", result.relationshipsDeleted),
            ("propertiesSet", "properties_set", result.propertiesSet),
            ("constraintsAdded", "constraints_added", result.constraintsAdded), ("indexesAdded", "indexes_added", result.indexesAdded),
        ]
        var map: [String: FakeJSON] = [:]
        for (camel, snake, value) in values { map[camelCase ? camel : snake] = .int(Int64(value)) }
        let updates = values.contains { $0.2 > 0 }
        map[camelCase ? "containsUpdates" : "contains_updates"] = .bool(updates)
        return FakeJSON.map(map).json
    }
}
