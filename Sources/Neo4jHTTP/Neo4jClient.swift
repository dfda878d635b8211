import AsyncHTTPClient
import Backoff
import Foundation
import JSONEscaping
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// A client of Neo4j's HTTP APIs: discovers the server with `GET /`, then speaks the Query API
/// (`/db/{db}/query/v2`) when the server advertises it, else the classic transactional endpoint
/// (`/db/{db}/tx/commit`). Every call has a deadline; transient errors, 5xx, timeouts and connection
/// failures are retried with backoff; client errors are not.
public final class Neo4jClient: Sendable {
    public let configuration: Neo4jClientConfiguration
    private let httpClient: HTTPClient
    private let logger: Logger
    private let sleep: @Sendable (Duration) async throws -> Void
    private let baseURL: String
    private let databasePath: String
    private let discovered = Mutex<Neo4jServerInfo?>(nil)

    /// - Throws: `Neo4jError` of kind `.configuration` when the URL is not an http(s) URL with a host, or
    ///   carries credentials (pass them in `authentication` so they are never logged).
    public init(
        configuration: Neo4jClientConfiguration, httpClient: HTTPClient, logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) throws(Neo4jError) {
        var trimmed = configuration.url
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw Neo4jError(kind: .configuration, endpoint: "", message: "neo4j.url must be an http:// or https:// URL with a host")
        }
        guard url.user == nil, url.password == nil else {
            throw Neo4jError(kind: .configuration, endpoint: "", message: "neo4j.url must not contain credentials; use neo4j.user and NEO4J_PASSWORD")
        }
        guard !configuration.database.isEmpty else {
            throw Neo4jError(kind: .configuration, endpoint: "", message: "neo4j.database must not be empty")
        }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.sleep = sleep
        self.baseURL = trimmed
        self.databasePath = "/db/" + (configuration.database.addingPercentEncoding(withAllowedCharacters: allowed) ?? configuration.database)
    }

    /// What discovery found, or nil before the first successful discovery (always set when the flavour is forced
    /// after the first call).
    public var serverInfo: Neo4jServerInfo? { discovered.withLock { $0 } }

    /// `GET /`: reads the discovery document and decides the flavour (cached; `refresh` asks again, e.g. for an
    /// up/down probe). A forced flavour in the configuration wins over the document.
    @discardableResult
    public func discover(refresh: Bool = false, tally: Neo4jRequestTally? = nil) async throws(Neo4jError) -> Neo4jServerInfo {
        if !refresh, let cached = serverInfo { return cached }
        let endpoint = "GET /"
        let info = try await withRetries(endpoint: endpoint) { () async throws(Neo4jError) -> Neo4jServerInfo in
            let (status, body) = try await self.send(
                method: .GET, path: "/", body: nil, accept: "application/json", statements: 0, endpoint: endpoint, tally: tally)
            guard status == 200 else {
                throw Self.error(status: status, body: body, endpoint: endpoint)
            }
            guard let document = Self.decode(body)?.mapValue else {
                throw Neo4jError(kind: .malformedResponse, endpoint: endpoint, status: status, message: "the discovery document is not a JSON object")
            }
            let advertises = document["query"]?.stringValue != nil
            let flavour = self.configuration.flavour ?? (advertises ? .queryAPI : .transactional)
            return Neo4jServerInfo(
                version: document["neo4j_version"]?.stringValue, edition: document["neo4j_edition"]?.stringValue,
                advertisesQueryAPI: advertises, flavour: flavour)
        }
        discovered.withLock { $0 = info }
        logger.debug(
            "neo4j discovered",
            metadata: ["neo4j.version": "\(info.version ?? "unknown")", "neo4j.flavour": "\(info.flavour.rawValue)"])
        return info
    }

    /// Runs one statement (one request in either flavour).
    public func run(_ statement: CypherStatement, tally: Neo4jRequestTally? = nil) async throws(Neo4jError) -> QueryResult {
        let results = try await runBatch([statement], tally: tally)
        guard let first = results.first else {
            throw Neo4jError(kind: .malformedResponse, endpoint: "POST \(databasePath)", message: "no result for the statement")
        }
        return first
    }

    /// Runs statements in order. Classic endpoint: one request, one transaction (all or nothing). Query API: one
    /// request per statement (each its own transaction), stopping at the first failure.
    public func runBatch(_ statements: [CypherStatement], tally: Neo4jRequestTally? = nil) async throws(Neo4jError) -> [QueryResult] {
        guard !statements.isEmpty else { return [] }
        let flavour: Neo4jAPIFlavour
        if let forced = configuration.flavour {
            flavour = forced
        } else {
            flavour = try await discover(tally: tally).flavour
        }
        switch flavour {
        case .transactional:
            return try await runTransactional(statements, tally: tally)
        case .queryAPI:
            var results: [QueryResult] = []
            results.reserveCapacity(statements.count)
            for statement in statements {
                results.append(try await runQueryAPI(statement, tally: tally))
            }
            return results
        }
    }

    // MARK: - Flavours

    private func runTransactional(_ statements: [CypherStatement], tally: Neo4jRequestTally?) async throws(Neo4jError) -> [QueryResult] {
        let path = databasePath + "/tx/commit"
        let endpoint = "POST \(path)"
        var body: [UInt8] = []
        body.reserveCapacity(256 * statements.count)
        body.append(contentsOf: Array(#"{"statements":["#.utf8))
        for (index, statement) in statements.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: Array(#"{"statement":"#.utf8))
            JSONString.append(statement.text, to: &body)
            body.append(contentsOf: Array(#","parameters":"#.utf8))
            CypherValue.map(statement.parameters).writeJSON(into: &body)
            body.append(contentsOf: Array(#","includeStats":true,"resultDataContents":["row"]}"#.utf8))
        }
        body.append(contentsOf: Array("]}".utf8))
        return try await withRetries(endpoint: endpoint) { () async throws(Neo4jError) -> [QueryResult] in
            let (status, response) = try await self.send(
                method: .POST, path: path, body: body, accept: "application/json;charset=UTF-8",
                statements: statements.count, endpoint: endpoint, tally: tally)
            let document = Self.decode(response)?.mapValue
            if let error = Self.firstError(document, status: status, endpoint: endpoint) { throw error }
            guard status == 200 || status == 201, let document else {
                throw Self.error(status: status, body: response, endpoint: endpoint)
            }
            guard let results = document["results"]?.listValue, results.count == statements.count else {
                throw Neo4jError(
                    kind: .malformedResponse, endpoint: endpoint, status: status,
                    message: "expected \(statements.count) results in the response")
            }
            let bookmarks = document["lastBookmarks"]?.listValue?.compactMap(\.stringValue) ?? []
            return results.map { result in
                let map = result.mapValue ?? [:]
                let columns = map["columns"]?.listValue?.compactMap(\.stringValue) ?? []
                let rows = (map["data"]?.listValue ?? []).map { $0.mapValue?["row"]?.listValue ?? [] }
                return QueryResult(fields: columns, rows: rows, counters: QueryCounters(map["stats"]?.mapValue), bookmarks: bookmarks)
            }
        }
    }

    private func runQueryAPI(_ statement: CypherStatement, tally: Neo4jRequestTally?) async throws(Neo4jError) -> QueryResult {
        let path = databasePath + "/query/v2"
        let endpoint = "POST \(path)"
        var body: [UInt8] = []
        body.append(contentsOf: Array(#"{"statement":"#.utf8))
        JSONString.append(statement.text, to: &body)
        body.append(contentsOf: Array(#","parameters":"#.utf8))
        CypherValue.map(statement.parameters).writeJSON(into: &body)
        body.append(contentsOf: Array(#","includeCounters":true}"#.utf8))
        return try await withRetries(endpoint: endpoint) { () async throws(Neo4jError) -> QueryResult in
            let (status, response) = try await self.send(
                method: .POST, path: path, body: body, accept: "application/json", statements: 1, endpoint: endpoint,
                tally: tally)
            let document = Self.decode(response)?.mapValue
            // The Query API's status for Cypher errors is not pinned down: an `errors` array is a failure whatever the status.
            if let error = Self.firstError(document, status: status, endpoint: endpoint) { throw error }
            guard status == 202 || status == 200, let document else {
                throw Self.error(status: status, body: response, endpoint: endpoint)
            }
            guard let data = document["data"]?.mapValue else {
                throw Neo4jError(kind: .malformedResponse, endpoint: endpoint, status: status, message: "the response has no data object")
            }
            let fields = data["fields"]?.listValue?.compactMap(\.stringValue) ?? []
            let rows = (data["values"]?.listValue ?? []).map { $0.listValue ?? [$0] }
            return QueryResult(
                fields: fields, rows: rows, counters: QueryCounters(document["counters"]?.mapValue),
                bookmarks: document["bookmarks"]?.listValue?.compactMap(\.stringValue) ?? [])
        }
    }

    // MARK: - Transport

    private func send(
        method: HTTPMethod, path: String, body: [UInt8]?, accept: String, statements: Int, endpoint: String,
        tally: Neo4jRequestTally?
    ) async throws(Neo4jError) -> (Int, ByteBuffer) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: accept)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        if let authorization = configuration.authentication.headerValue {
            request.headers.add(name: "Authorization", value: authorization)
        }
        tally?.recordRequest(statements: statements)
        let timeout = TimeAmount.nanoseconds(
            configuration.requestTimeout.components.seconds * 1_000_000_000
                + configuration.requestTimeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await httpClient.execute(request, timeout: timeout, logger: logger)
            let buffer = try await response.body.collect(upTo: 512 * 1024 * 1024)
            logger.trace("neo4j response", metadata: ["neo4j.endpoint": "\(endpoint)", "http.status": "\(response.status.code)"])
            return (Int(response.status.code), buffer)
        } catch {
            throw Self.transportError(error, endpoint: endpoint)
        }
    }

    private func withRetries<T: Sendable>(
        endpoint: String, _ attempt: () async throws(Neo4jError) -> T
    ) async throws(Neo4jError) -> T {
        let policy = BackoffPolicy(
            initial: configuration.initialBackoff, maximum: configuration.maximumBackoff, maxRetries: configuration.maxRetries)
        return try await policy.run(attempt, isTransient: \.isRetryable) { (backoff, retry, error) throws(Neo4jError) in
            logger.debug(
                "neo4j retry",
                metadata: [
                    "neo4j.endpoint": "\(endpoint)", "neo4j.error": "\(error.kind.rawValue)",
                    "neo4j.code": "\(error.code ?? "")", "retry": "\(retry)",
                ])
            do {
                try await sleep(backoff)
            } catch {
                throw Neo4jError(kind: .cancelled, endpoint: endpoint)
            }
        }
    }

    // MARK: - Error mapping

    static func decode(_ buffer: ByteBuffer) -> CypherValue? {
        guard buffer.readableBytes > 0 else { return nil }
        return try? JSONDecoder().decode(CypherValue.self, from: Data(buffer.readableBytesView))
    }

    static func firstError(_ document: [String: CypherValue]?, status: Int, endpoint: String) -> Neo4jError? {
        guard let errors = document?["errors"]?.listValue, let first = errors.first?.mapValue else { return nil }
        let code = first["code"]?.stringValue
        return Neo4jError(kind: kind(code: code, status: status), endpoint: endpoint, status: status, code: code, message: first["message"]?.stringValue)
    }

    static func kind(code: String?, status: Int) -> Neo4jError.Kind {
        if let code {
            if code.hasPrefix("Neo.ClientError.Security.") { return .unauthorized }
            if code.hasPrefix("Neo.TransientError.") { return .transient }
            if code.hasPrefix("Neo.ClientError.") { return .client }
            if code.hasPrefix("Neo.DatabaseError.") { return .database }
        }
        switch status {
        case 401, 403: return .unauthorized
        case 500...599: return .server
        case 400...499: return .client
        default: return .malformedResponse
        }
    }

    static func error(status: Int, body: ByteBuffer, endpoint: String) -> Neo4jError {
        if let error = firstError(decode(body)?.mapValue, status: status, endpoint: endpoint) { return error }
        let kind = kind(code: nil, status: status)
        return Neo4jError(kind: kind, endpoint: endpoint, status: status, message: "unexpected HTTP status \(status)")
    }

    static func transportError(_ error: any Error, endpoint: String) -> Neo4jError {
        if error is CancellationError { return Neo4jError(kind: .cancelled, endpoint: endpoint) }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout:
                return Neo4jError(kind: .timeout, endpoint: endpoint, message: "\(error)")
            case .cancelled:
                return Neo4jError(kind: .cancelled, endpoint: endpoint)
            default:
                return Neo4jError(kind: .transport, endpoint: endpoint, message: "\(error)")
            }
        }
        return Neo4jError(kind: .transport, endpoint: endpoint, message: String(describing: error))
    }
}
