import AsyncHTTPClient
import Dora
import Foundation
import Hummingbird
import Logging
import Neo4jHTTP
import GraphProjection
import Sync
import Synchronization
import TwinConfig
import TwinStore

/// Projection benchmark: a generated repository (default 100,000 commits, a release and tag every 100 commits,
/// a workflow run per 10 commits, 500 issues) in a real store file, projected into a loopback Neo4j stand-in
/// that speaks both HTTP flavours and answers success (the Neo4jFake test target is not linked into
/// benchmarks). Prints HTTP requests and statements per 1,000 store items and rows/s through the client, for the
/// classic endpoint and the Query API, and the ratio to a baseline measured in the same run: the client alone
/// sending the same number of rows as plain `UNWIND $rows … MERGE` batches.
///
/// Arguments: `--commits N`, `--batch-size N`, `--repositories N` (N repositories of `--commits` commits each:
/// repository-by-repository runs against one batched cycle).
enum ProjectionBenchmark {
    static func run(arguments: [String]) async throws {
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else {
                return fallback
            }
            return value
        }
        let commits = option("--commits", 100_000)
        let batchSize = option("--batch-size", 1000)
        let logger = Logger(label: "projection-benchmark", factory: { _ in SwiftLogNoOpLogHandler() })
        let repositories = option("--repositories", 0)
        if repositories > 0 {
            try await runOrganisation(repositories: repositories, commits: commits, batchSize: batchSize, logger: logger)
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("projection-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try TwinStore(path: folder.appendingPathComponent("store.sqlite").path, logger: logger)
        let repository = "bench/projection"
        let items = try fill(store, repository: repository, commits: commits)
        print("projection.items \(items)")

        let sink = try await ProjectionSink.start(logger: logger)
        defer { Task { await sink.stop() } }
        let settings = RepositorySettings(
            name: repository, sources: DataSources(all: repository), branch: "main", since: nil, definitions: DoraDefinitions())

        var baselineRowsPerSecond = 0.0
        for flavour in [Neo4jAPIFlavour.transactional, .queryAPI] {
            let client = try Neo4jClient(
                configuration: Neo4jClientConfiguration(url: sink.url, requestTimeout: .seconds(120), flavour: flavour),
                httpClient: .shared, logger: logger)
            // Baseline: the client alone, the same number of rows in batches.
            sink.reset()
            let baselineRows = items
            let clock = ContinuousClock()
            let baselineStart = clock.now
            var sent = 0
            while sent < baselineRows {
                let count = min(batchSize, baselineRows - sent)
                let rows: [CypherValue] = (sent..<(sent + count)).map { index in
                    .map(["repository": .string(repository), "sha": .string(String(format: "%040x", index)), "message": "m"])
                }
                _ = try await client.run(
                    CypherStatement(
                        "UNWIND $rows AS row MERGE (n:Commit {repository: row.repository, sha: row.sha}) SET n.message = row.message",
                        parameters: ["rows": .list(rows)]))
                sent += count
            }
            let baselineSeconds = (clock.now - baselineStart).seconds
            let baselineRate = Double(baselineRows) / max(baselineSeconds, 1e-9)
            if flavour == .transactional { baselineRowsPerSecond = baselineRate }

            sink.reset()
            try store.setProjectionWatermark(repository: repository, 0)
            let projector = GraphProjector(store: store, client: client, batchSize: batchSize, logger: logger)
            // The schema migrations (a fixed cost of a projector's first run into an empty graph), counted apart.
            let schemaTally = Neo4jRequestTally()
            _ = try await projector.migrateSchema(tally: schemaTally)
            let schemaRequests = schemaTally.requests
            let start = clock.now
            let result = await projector.project(repository: settings, asOf: Date(timeIntervalSince1970: 1_700_000_000 + Double(commits) * 3600))
            let seconds = (clock.now - start).seconds
            guard result.outcome == .success else {
                print("projection.\(flavour.rawValue).error \(result.error ?? "unknown")")
                continue
            }
            let perThousand = 1000.0 / Double(max(items, 1))
            let name = "projection.\(flavour.rawValue)"
            print("\(name).rows_written \(result.itemsWritten)")
            print("\(name).statements \(result.statements)")
            let requests = result.requests + schemaRequests
            print("\(name).requests \(requests) (schema \(schemaRequests), writes \(result.requests))")
            print("\(name).requests_per_1000_items \(String(format: "%.2f", Double(requests) * perThousand))")
            let perThousandRows = 1000.0 / Double(max(result.itemsWritten, 1))
            print("\(name).requests_per_1000_rows \(String(format: "%.2f", Double(requests) * perThousandRows))")
            print("\(name).write_requests_per_1000_rows \(String(format: "%.2f", Double(result.requests) * perThousandRows))")
            print("\(name).statements_per_1000_items \(String(format: "%.2f", Double(result.statements) * perThousand))")
            print("\(name).seconds \(String(format: "%.2f", seconds))")
            print("\(name).rows_per_second \(String(format: "%.0f", Double(result.itemsWritten) / max(seconds, 1e-9)))")
            print("\(name).baseline_rows_per_second \(String(format: "%.0f", baselineRate))")
            print("\(name).ratio_to_baseline \(String(format: "%.2f", Double(result.itemsWritten) / max(seconds, 1e-9) / baselineRate))")
            print("\(name).sink_rows \(sink.rows)")
        }
        _ = baselineRowsPerSecond
    }

    /// `--repositories N`: N repositories of `--commits` commits each in one store, projected twice into the sink
    /// after the schema is in place: repository by repository (one projection run each, as before batching), then
    /// as one batched cycle. Prints requests per 1,000 rows of both.
    private static func runOrganisation(repositories: Int, commits: Int, batchSize: Int, logger: Logger) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("projection-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try TwinStore(path: folder.appendingPathComponent("store.sqlite").path, logger: logger)
        let names = (0..<repositories).map { String(format: "bench/repo-%04d", $0) }
        var items = 0
        for name in names { items += try fill(store, repository: name, commits: commits) }
        print("projection.organisation repositories=\(repositories) commits_each=\(commits) items=\(items)")
        let sink = try await ProjectionSink.start(logger: logger)
        defer { Task { await sink.stop() } }
        let settings = names.map {
            RepositorySettings(name: $0, sources: DataSources(all: $0), branch: "main", since: nil, definitions: DoraDefinitions())
        }
        let asOf = Date(timeIntervalSince1970: 1_700_000_000 + Double(commits) * 3600)
        for flavour in [Neo4jAPIFlavour.transactional, .queryAPI] {
            let client = try Neo4jClient(
                configuration: Neo4jClientConfiguration(url: sink.url, requestTimeout: .seconds(120), flavour: flavour),
                httpClient: .shared, logger: logger)
            let projector = GraphProjector(store: store, client: client, batchSize: batchSize, logger: logger)
            _ = try await projector.migrateSchema()
            for mode in ["per_repository", "batched"] {
                for name in names { try store.setProjectionWatermark(repository: name, 0) }
                let clock = ContinuousClock()
                let start = clock.now
                let results: [ProjectionResult]
                var requests = 0
                if mode == "batched" {
                    results = await projector.project(repositories: settings, asOf: asOf)
                    requests = results.first?.requests ?? 0
                } else {
                    var collected: [ProjectionResult] = []
                    for repository in settings {
                        let result = await projector.project(repository: repository, asOf: asOf)
                        requests += result.requests
                        collected.append(result)
                    }
                    results = collected
                }
                let seconds = (clock.now - start).seconds
                let rows = results.reduce(0) { $0 + $1.itemsWritten }
                let failed = results.filter { $0.outcome == .failed }.count
                let name = "projection.organisation.\(flavour.rawValue).\(mode)"
                print(
                    "\(name) rows=\(rows) requests=\(requests) requests_per_1000_rows=\(String(format: "%.2f", Double(requests) * 1000 / Double(max(rows, 1))))"
                        + " seconds=\(String(format: "%.2f", seconds)) failed=\(failed)")
            }
        }
    }

    /// Writes the generated repository into the store; returns the number of store rows.
    private static func fill(_ store: TwinStore, repository: String, commits: Int) throws -> Int {
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        func sha(_ index: Int) -> String { String(format: "%040x", index + 1) }
        var items = 0
        var start = 0
        while start < commits {
            var batch = StoreBatch()
            for index in start..<min(start + 5000, commits) {
                let time = base.addingTimeInterval(Double(index) * 3600)
                batch.commits.append(
                    StoredCommit(
                        repository: repository, sha: sha(index), parents: index == 0 ? [] : [sha(index - 1)],
                        authorName: "dev\(index % 20)", authorLogin: "dev\(index % 20)", authoredAt: time, committedAt: time,
                        message: "commit \(index)"))
                if index % 100 == 99 {
                    let tag = "v\(index / 100)"
                    batch.tags.append(StoredTag(repository: repository, name: tag, commitSha: sha(index)))
                    batch.releases.append(
                        StoredRelease(
                            repository: repository, id: Int64(index / 100 + 1), tagName: tag, createdAt: time.addingTimeInterval(600),
                            publishedAt: time.addingTimeInterval(600), commitSha: sha(index)))
                }
                if index % 10 == 0 {
                    batch.workflowRuns.append(
                        StoredWorkflowRun(
                            repository: repository, id: Int64(index + 1), workflowId: 1, name: "CI", headBranch: "main",
                            headSha: sha(index), status: "completed", conclusion: "success", runNumber: index / 10 + 1,
                            createdAt: time, runStartedAt: time, updatedAt: time.addingTimeInterval(300)))
                }
                if index % 200 == 0 {
                    batch.issues.append(
                        StoredIssue(
                            repository: repository, number: index / 200 + 1, id: Int64(index), title: "issue \(index)", state: "closed",
                            labels: index % 400 == 0 ? ["incident"] : ["bug"], userLogin: "dev\(index % 20)", createdAt: time,
                            updatedAt: time.addingTimeInterval(7200), closedAt: time.addingTimeInterval(7200)))
                }
            }
            if start == 0 {
                batch.workflows.append(StoredWorkflow(repository: repository, id: 1, name: "CI", path: ".github/workflows/ci.yml", state: "active"))
            }
            items += batch.commits.count + batch.tags.count + batch.releases.count + batch.workflowRuns.count + batch.issues.count
                + batch.workflows.count
            _ = try store.apply(batch)
            start += 5000
        }
        return items
    }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// A loopback stand-in for Neo4j that accepts every statement and counts rows: discovery advertises the Query API;
/// `tx/commit` and `query/v2` answer success in their documented shapes.
final class ProjectionSink: Sendable {
    private let counters = Mutex<(rows: Int, statements: Int)>((0, 0))
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let boundPort = Mutex(0)

    var url: String { "http://127.0.0.1:\(boundPort.withLock { $0 })" }
    var rows: Int { counters.withLock { $0.rows } }

    func reset() { counters.withLock { $0 = (0, 0) } }

    static func start(logger: Logger) async throws -> ProjectionSink {
        let sink = ProjectionSink()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let body = try await request.body.collect(upTo: 1 << 30)
            let path = request.uri.path
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            if path == "/" {
                let document = #"{"transaction":"http://x/db/{databaseName}/tx","query":"http://x/db/{databaseName}/query/v2","neo4j_version":"5.26.0","neo4j_edition":"community"}"#
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: document)))
            }
            let text = String(buffer: body)
            // Count rows cheaply: one `"repository":` per row map (every row carries the repository).
            let rowCount = text.components(separatedBy: #""repository":"#).count - 1
            let statementCount = max(1, text.components(separatedBy: #""statement":"#).count - 1)
            sink.counters.withLock {
                $0.rows += rowCount
                $0.statements += statementCount
            }
            if path.hasSuffix("/query/v2") {
                let answer = #"{"data":{"fields":["deleted"],"values":[[0]]},"counters":{"containsUpdates":true},"bookmarks":["FB:x"]}"#
                return Response(status: .accepted, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
            }
            let result = #"{"columns":["deleted"],"data":[{"row":[0],"meta":[null]}]}"#
            let answer = #"{"results":["# + Array(repeating: result, count: statementCount).joined(separator: ",") + #"],"errors":[]}"#
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: responder, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        let running = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        for await port in stream {
            sink.boundPort.withLock { $0 = port }
            break
        }
        sink.task.withLock { $0 = running }
        return sink
    }

    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = await running?.result
    }
}
