import Dora
import Exporter
import Foundation
import Hummingbird
import Logging

#if canImport(AsyncHTTPClient)
    import AsyncHTTPClient
#endif

/// `/metrics` throughput against a baseline measured in the same run: the exporter serving the snapshot of a
/// repository with 100,000 commits of DORA data (windows 7d/30d/90d/all, three CI workflows) versus a plain
/// Hummingbird route returning a fixed 50 KB string. Both servers run in this process on loopback and are
/// loaded the same way: `wrk` (Debian package `wrk`) with 64 connections for 30 s each, or, when wrk is not
/// installed or `--client ahc` is given, an in-process AsyncHTTPClient loop with 64 concurrent clients.
/// Prints requests/s and p99 latency of each and the ratio (target >= 0.8).
///
/// Arguments: `--commits N` (default 100000), `--duration S` (default 30), `--connections N` (default 64),
/// `--client wrk|ahc`.
enum MetricsBenchmark {
    struct MissingLoadClient: Error, CustomStringConvertible {
        var description: String { "no load client: install wrk (apt-get install -y wrk) or build with AsyncHTTPClient" }
    }

    struct LoadFigures {
        var requestsPerSecond: Double
        var p99Milliseconds: Double
        var requests: Int
        var errors: Int
    }

    static func run(arguments: [String]) async throws {
        let commits = integer(arguments, "--commits") ?? 100_000
        let duration = integer(arguments, "--duration") ?? 30
        let connections = integer(arguments, "--connections") ?? 64
        let wrk = wrkPath()
        let useWrk = option(arguments, "--client") != "ahc" && wrk != nil
        var logger = Logger(label: "metrics-benchmark")
        // Cancelling the servers at the end logs at error level; nothing else is worth printing here.
        logger.logLevel = .critical

        let asOf = Date(timeIntervalSince1970: 1_767_225_600)
        let started = ContinuousClock.now
        let data = generatedRepository(commits: commits, asOf: asOf)
        let definitions = DoraDefinitions(
            deploymentSource: .releases(includePrereleases: false), ciWorkflows: ["ci", "deploy", "lint"])
        let report = try DoraEngine.report(
            for: data, definitions: definitions, windows: DoraWindow.defaults + [.all], asOf: asOf)
        let snapshot = MetricsSnapshotBuilder.build(
            asOf: asOf, reports: [report],
            syncHealth: [
                RepositorySyncHealth(
                    repository: data.repository, lastSuccess: asOf, lastAttempt: asOf.addingTimeInterval(-95),
                    lastDuration: 95, runsByResult: ["success": 10],
                    itemsByEntity: ["commits": commits, "releases": data.releases.count, "issues": data.issues.count,
                                    "workflow_runs": data.workflowRuns.count],
                    requestsByStatus: ["200": commits / 100 + 200, "304": 1_000],
                    storeEntities: ["commits": commits, "releases": data.releases.count, "issues": data.issues.count,
                                    "workflow_runs": data.workflowRuns.count])
            ],
            rateLimits: [RateLimitReading(resource: "core", limit: 5_000, remaining: 3_900, reset: asOf.addingTimeInterval(1_800))],
            projection: nil, build: BuildInfo(version: "bench", revision: "bench"))
        let holder = SnapshotHolder()
        try holder.publish(snapshot)
        let prepared = ContinuousClock.now - started
        let metricsBytes = holder.rendered?.body(.prometheusText, gzip: false).readableBytes ?? 0
        print("metrics.commits \(commits)")
        print("metrics.snapshot_samples \(snapshot.families.reduce(0) { $0 + $1.samples.count })")
        print("metrics.body_bytes \(metricsBytes) (text 0.0.4, uncompressed)")
        print("metrics.prepare_seconds \(String(format: "%.2f", seconds(prepared))) (generate data, DORA report, snapshot, render)")

        let fixed = ByteBuffer(string: String(repeating: "0123456789abcdef", count: 50 * 1024 / 16))
        let baselineRouter = Router(context: BasicRequestContext.self)
        baselineRouter.get("/fixed") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: fixed))
        }
        let exporterRouter = ExporterRoutes.router(holder: holder, configuration: ExporterServerConfiguration(port: 0))

        let (ports, continuation) = AsyncStream.makeStream(of: (String, Int).self)
        let baseline = Application(
            router: baselineRouter, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield(("baseline", $0.localAddress?.port ?? 0)) }, logger: logger)
        let exporter = Application(
            router: exporterRouter, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield(("metrics", $0.localAddress?.port ?? 0)) }, logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await baseline.run() }
            group.addTask { try await exporter.run() }
            var bound: [String: Int] = [:]
            for await (name, port) in ports {
                bound[name] = port
                if bound.count == 2 { break }
            }
            let baselineURL = "http://127.0.0.1:\(bound["baseline"] ?? 0)/fixed"
            let metricsURL = "http://127.0.0.1:\(bound["metrics"] ?? 0)/metrics"
            print("metrics.load_client \(useWrk ? "wrk (\(wrk ?? ""))" : "AsyncHTTPClient in-process") connections=\(connections) duration=\(duration)s")

            // Warm both up briefly, then measure the baseline first and /metrics second.
            for url in [baselineURL, metricsURL] {
                _ = try await load(url: url, seconds: 2, connections: connections, wrk: useWrk ? wrk : nil)
            }
            let base = try await load(url: baselineURL, seconds: duration, connections: connections, wrk: useWrk ? wrk : nil)
            let metrics = try await load(url: metricsURL, seconds: duration, connections: connections, wrk: useWrk ? wrk : nil)
            printFigures(name: "baseline_50kb", base)
            printFigures(name: "metrics", metrics)
            let ratio = base.requestsPerSecond > 0 ? metrics.requestsPerSecond / base.requestsPerSecond : 0
            print(String(format: "metrics.throughput_ratio %.3f (target >= 0.8)", ratio))
            group.cancelAll()
        }
    }

    static func printFigures(name: String, _ figures: LoadFigures) {
        print(
            String(
                format: "metrics.%@.requests_per_second %.0f p99_ms %.2f requests %d errors %d", name,
                figures.requestsPerSecond, figures.p99Milliseconds, figures.requests, figures.errors))
    }

    static func load(url: String, seconds: Int, connections: Int, wrk: String?) async throws -> LoadFigures {
        if let wrk {
            return try runWrk(wrk, url: url, seconds: seconds, connections: connections)
        }
        #if canImport(AsyncHTTPClient)
            return try await runInProcess(url: url, seconds: seconds, connections: connections)
        #else
            throw MissingLoadClient()
        #endif
    }

    // MARK: wrk

    static func wrkPath() -> String? {
        ["/usr/bin/wrk", "/usr/local/bin/wrk"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func runWrk(_ wrk: String, url: String, seconds: Int, connections: Int) throws -> LoadFigures {
        let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, connections))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--latency", "--timeout", "10s", url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        var figures = LoadFigures(requestsPerSecond: 0, p99Milliseconds: 0, requests: 0, errors: 0)
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if line.hasPrefix("Requests/sec:"), fields.count >= 2 {
                figures.requestsPerSecond = Double(fields[1]) ?? 0
            } else if line.hasPrefix("99%"), fields.count >= 2 {
                figures.p99Milliseconds = milliseconds(fields[1])
            } else if line.contains("requests in"), let first = fields.first {
                figures.requests = Int(first) ?? 0
            } else if line.hasPrefix("Non-2xx") || line.hasPrefix("Socket errors") {
                figures.errors += line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.reduce(0, +)
            }
        }
        if figures.requestsPerSecond == 0 { print("wrk output:\n\(text)") }
        return figures
    }

    /// wrk prints latencies as `1.23ms`, `850.00us`, `1.02s`.
    static func milliseconds(_ text: String) -> Double {
        for (suffix, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1_000.0), ("m", 60_000.0)] where text.hasSuffix(suffix) {
            return (Double(text.dropLast(suffix.count)) ?? 0) * factor
        }
        return Double(text) ?? 0
    }

    // MARK: in-process client

    #if canImport(AsyncHTTPClient)

    static func runInProcess(url: String, seconds: Int, connections: Int) async throws -> LoadFigures {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        let start = clock.now
        let results = await withTaskGroup(of: ([Double], Int).self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var latencies: [Double] = []
                    var errors = 0
                    while clock.now < deadline {
                        let began = clock.now
                        do {
                            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
                            _ = try await response.body.collect(upTo: 16 << 20)
                            if response.status == .ok { latencies.append(milliseconds(clock.now - began)) } else { errors += 1 }
                        } catch {
                            errors += 1
                        }
                    }
                    return (latencies, errors)
                }
            }
            var all: [Double] = []
            var errors = 0
            for await (latencies, failed) in group {
                all += latencies
                errors += failed
            }
            return (all, errors)
        }
        let elapsed = Self.seconds(clock.now - start)
        try await client.shutdown()
        let sorted = results.0.sorted()
        let p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        return LoadFigures(
            requestsPerSecond: Double(sorted.count) / elapsed, p99Milliseconds: p99, requests: sorted.count, errors: results.1)
    }
    #endif

    // MARK: data

    /// A linear history of `commits` commits, one every 10 minutes up to `asOf`; a release every 100 commits,
    /// an incident every 20 releases; CI runs every 5 commits (ci, lint) and a deploy run per release.
    static func generatedRepository(commits: Int, asOf: Date) -> RepositoryData {
        let step: TimeInterval = 600
        let first = asOf.timeIntervalSince1970 - Double(commits) * step
        var commitRecords: [CommitRecord] = []
        commitRecords.reserveCapacity(commits)
        var releases: [ReleaseRecord] = []
        var issues: [IssueRecord] = []
        var runs: [WorkflowRunRecord] = []
        var previous: String?
        for index in 0..<commits {
            let sha = String(format: "%040x", index + 1)
            let time = Date(timeIntervalSince1970: first + Double(index) * step)
            commitRecords.append(
                CommitRecord(sha: sha, parents: previous.map { [$0] } ?? [], authoredAt: time.addingTimeInterval(-300), committedAt: time))
            previous = sha
            if index % 100 == 99 {
                let release = Int64(releases.count + 1)
                let published = time.addingTimeInterval(3_600)
                releases.append(ReleaseRecord(id: release, tagName: "v1.\(release).0", publishedAt: published, commitSha: sha))
                runs.append(run(id: Int64(runs.count + 1), workflow: 2, "deploy", sha: sha, at: published, conclusion: "success", branch: "main"))
                if release % 20 == 0 {
                    let opened = published.addingTimeInterval(7_200)
                    issues.append(
                        IssueRecord(
                            number: issues.count + 1, title: "outage", labels: ["incident"],
                            state: release % 60 == 0 ? "open" : "closed", createdAt: opened,
                            closedAt: release % 60 == 0 ? nil : opened.addingTimeInterval(Double(release % 7 + 1) * 1_800)))
                }
            }
            if index % 5 == 0 {
                let conclusion = index % 35 == 0 ? "failure" : (index % 95 == 0 ? "timed_out" : "success")
                let branch = index % 3 == 0 ? "feature/\(index % 17)" : "main"
                runs.append(run(id: Int64(runs.count + 1), workflow: 1, "ci", sha: sha, at: time.addingTimeInterval(420), conclusion: conclusion, branch: branch))
                runs.append(run(id: Int64(runs.count + 1), workflow: 3, "lint", sha: sha, at: time.addingTimeInterval(90), conclusion: "success", branch: branch))
            }
        }
        return RepositoryData(repository: "bench/large", commits: commitRecords, releases: releases, issues: issues, workflowRuns: runs)
    }

    static func run(id: Int64, workflow: Int64, _ name: String, sha: String, at completed: Date, conclusion: String, branch: String) -> WorkflowRunRecord {
        WorkflowRunRecord(
            id: id, workflowId: workflow, workflowName: name, workflowPath: ".github/workflows/\(name).yml", headBranch: branch,
            headSha: sha, status: "completed", conclusion: conclusion, runStartedAt: completed.addingTimeInterval(-Double(60 + id % 400)),
            createdAt: completed.addingTimeInterval(-Double(90 + id % 400)), updatedAt: completed)
    }

    // MARK: helpers

    static func option(_ arguments: [String], _ name: String) -> String? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }

    static func integer(_ arguments: [String], _ name: String) -> Int? {
        option(arguments, name).flatMap { Int($0) }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration) -> Double {
        seconds(duration) * 1_000
    }
}
