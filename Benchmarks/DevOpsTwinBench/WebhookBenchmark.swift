import AsyncHTTPClient
import Exporter
import Foundation
import GitHubSimulator
import Logging
import Synchronization
import TwinConfig
import TwinRuntime
import TwinStore
import Webhooks

/// Webhooks benchmark: one simulated hour of live activity on N repositories (default 50), sped up, through the
/// real daemon (in process) and the simulator on loopback, with a share of deliveries dropped and duplicated.
/// 1. p50 / p99 from a delivery to the `/metrics` that shows its change (target p99 <= 5 s on loopback): a
///    scraper reads `devops_twin_store_entities` every 200 ms and notes when each added item shows;
/// 2. changes missing from the store at the end, before and after one reconciliation cycle (target 0 after);
/// 3. rate-limit points spent (simulated GitHub's count), against polling alone every simulated minute over the
///    same activity.
///
/// Arguments: `--repositories N`, `--speedup X` (simulated seconds per real second, default 60),
/// `--changes-per-hour N` (all repositories together, default 600), `--drop 0.1`, `--duplicate 0.05`, `--skip-polling`.
enum WebhookBenchmark {
    struct Options {
        var repositories = 50
        var speedup = 60.0
        var changesPerHour = 600
        var drop = 0.1
        var duplicate = 0.05
        var polling = true

        init(_ arguments: [String]) {
            func value(_ name: String) -> String? {
                arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
            }
            repositories = value("--repositories").flatMap(Int.init) ?? repositories
            speedup = value("--speedup").flatMap(Double.init) ?? speedup
            changesPerHour = value("--changes-per-hour").flatMap(Int.init) ?? changesPerHour
            drop = value("--drop").flatMap(Double.init) ?? drop
            duplicate = value("--duplicate").flatMap(Double.init) ?? duplicate
            polling = !arguments.contains("--skip-polling")
        }
    }

    static let secret = "bench-webhook-secret"

    static func run(arguments: [String]) async throws {
        let options = Options(arguments)
        var logger = Logger(label: "webhook-benchmark")
        // The daemons are stopped by cancellation at the end of each run; their servers log that as errors.
        logger.logLevel = .critical
        print("webhooks.repositories \(options.repositories)")
        print("webhooks.simulated_hour_real_seconds \(String(format: "%.0f", 3600 / options.speedup))")
        print("webhooks.changes \(options.changesPerHour) (drop \(options.drop), duplicate \(options.duplicate))")
        let pushed = try await runOnce(options, webhooks: true, logger: logger)
        let latencies = pushed.latencies.sorted()
        print("webhooks.deliveries_sent \(pushed.sent) dropped \(pushed.dropped) duplicated \(pushed.duplicated)")
        print("webhooks.changes_timed \(latencies.count) (added items whose delivery arrived)")
        print(String(format: "webhooks.delivery_to_metrics_p50_seconds %.2f", percentile(latencies, 0.5)))
        print(String(format: "webhooks.delivery_to_metrics_p99_seconds %.2f (target <= 5)", percentile(latencies, 0.99)))
        print(String(format: "webhooks.delivery_to_metrics_max_seconds %.2f", latencies.last ?? 0))
        print(
            String(
                format: "webhooks.daemon_histogram_p50_seconds %.2f p99 %.2f (devops_twin_webhook_delivery_to_snapshot_seconds, bucket-interpolated)",
                pushed.histogram.quantile(0.5), pushed.histogram.quantile(0.99)))
        print("webhooks.missing_before_reconciliation \(pushed.missingBefore)")
        print("webhooks.missing_after_one_reconciliation \(pushed.missingAfter) (target 0)")
        print("webhooks.rate_limit_points \(pushed.points) (activity hour, webhook-triggered syncs)")
        print("webhooks.rate_limit_points_reconciliation \(pushed.reconciliationPoints) (the one hourly cycle)")
        if options.polling {
            let polled = try await runOnce(options, webhooks: false, logger: logger)
            print("polling.interval_simulated_seconds 60 (real \(String(format: "%.2f", 60 / options.speedup)) s), cycles \(polled.cycles)")
            print("polling.rate_limit_points \(polled.points) (activity hour)")
            let polledLatencies = polled.latencies.sorted()
            print(String(format: "polling.change_to_metrics_p50_seconds %.2f", percentile(polledLatencies, 0.5)))
            print(String(format: "polling.change_to_metrics_p99_seconds %.2f", percentile(polledLatencies, 0.99)))
            print("polling.missing_at_end \(polled.missingBefore)")
            print("polling.requests \(polled.requests)")
            print("webhooks.requests \(pushed.requests + pushed.reconciliationRequests)")
            let total = pushed.points + pushed.reconciliationPoints
            print(String(format: "webhooks_vs_polling.points_ratio %.3f", Double(total) / Double(max(1, polled.points))))
        }
    }

    struct Outcome {
        var latencies: [Double] = []
        var histogram = WebhookStatistics.Histogram(bounds: WebhookStatistics.latencyBounds)
        var sent = 0
        var dropped = 0
        var duplicated = 0
        var missingBefore = 0
        var missingAfter = 0
        var points = 0
        var requests = 0
        var reconciliationPoints = 0
        var reconciliationRequests = 0
        var cycles = 0
    }

    /// A change whose item should show in the store: the entity count it makes, and when its delivery was sent.
    struct Pending {
        var repository: String
        var entity: String
        var count: Int
        var sentAt: ContinuousClock.Instant
    }

    static func entity(_ kind: LiveChange.Kind) -> String? {
        switch kind {
        case .commit: "commits"
        case .release: "releases"
        case .issueOpened: "issues"
        case .workflowRun: "workflow_runs"
        case .issueClosed: nil
        }
    }

    static func runOnce(_ options: Options, webhooks: Bool, logger: Logger) async throws -> Outcome {
        let names = (0..<options.repositories).map { "bench/svc-\($0)" }
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3600).rounded(.down))
        let repositories = names.enumerated().map { index, name in
            SimulatedRepository.generated(owner: "bench", name: "svc-\(index)", seed: UInt64(index + 1), commits: 150, now: start)
        }
        let github = SimulatedGitHub(repositories: repositories, rateLimit: 1_000_000)
        let server = try await GitHubSimulatorServer.start(github: github, logger: logger)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = httpClient.shutdown() }

        let interval = webhooks ? "2h" : "\(60 / options.speedup)s"
        let webhookSection = webhooks ? #""webhooks": {"listenAddress": "127.0.0.1:0"},"# : ""
        let json = """
            {"github": {"apiUrl": "\(server.baseURL)"}, "store": {"path": "\(folder.path)/twin.sqlite"},
             "sync": {"interval": "\(interval)", "concurrency": 2}, "exporter": {"listenAddress": "127.0.0.1:0"}, \(webhookSection)
             "repositories": [\(names.map { #"{"name": "\#($0)", "ciWorkflows": ["CI"]}"# }.joined(separator: ","))]}
            """
        let configuration = try ConfigLoader(environment: ["DEVOPS_TWIN_WEBHOOK_SECRET": secret])
            .load(data: Data(json.utf8), origin: "benchmark").configuration
        let store = try TwinStore(path: configuration.store.path, logger: logger)
        let daemon = TwinDaemon(configuration: configuration, store: store, build: BuildInfo(version: "bench", revision: ""), logger: logger)
        let (exporterPorts, exporterPort) = AsyncStream.makeStream(of: Int.self)
        let (webhookPorts, webhookPort) = AsyncStream.makeStream(of: Int.self)
        let cycles = Mutex(0)
        let running = Task {
            try await daemon.run(
                httpClient: httpClient, onListening: { exporterPort.yield($0) },
                afterCycle: { _ in cycles.withLock { $0 += 1 } }, onWebhookListening: { webhookPort.yield($0) })
        }
        var exporterIterator = exporterPorts.makeAsyncIterator()
        guard let metricsPort = await exporterIterator.next() else { throw BenchmarkError("the exporter did not start") }
        let metricsURL = "http://127.0.0.1:\(metricsPort)/metrics"
        var sender: WebhookSender?
        if webhooks {
            var webhookIterator = webhookPorts.makeAsyncIterator()
            guard let port = await webhookIterator.next() else { throw BenchmarkError("the receiver did not start") }
            sender = WebhookSender(
                url: "http://127.0.0.1:\(port)/webhooks/github", secret: secret, httpClient: httpClient,
                faults: WebhookSender.Faults(drop: options.drop, duplicate: options.duplicate), seed: 7, logger: logger)
        }
        // The first (full) sync, then the activity hour starts from a synced store.
        while cycles.withLock({ $0 }) < 1 { try await Task.sleep(for: .milliseconds(100)) }
        var baseline = try await storeCounts(httpClient, metricsURL)
        github.clearRequestLog()
        let cyclesBefore = cycles.withLock { $0 }

        let live = LiveActivity(github: github, repositories: names, seed: 11)
        let pending = Mutex<[Pending]>([])
        let latencies = Mutex<[Double]>([])
        let scraping = Task {
            while !Task.isCancelled {
                if let counts = try? await storeCounts(httpClient, metricsURL) {
                    let now = ContinuousClock.now
                    pending.withLock { items in
                        items.removeAll { item in
                            guard counts["\(item.repository) \(item.entity)", default: 0] >= item.count else { return false }
                            latencies.withLock { $0.append(seconds(now - item.sentAt)) }
                            return true
                        }
                    }
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        var outcome = Outcome()
        var added: [String: Int] = [:]
        let period = 3600 / options.speedup / Double(options.changesPerHour)
        let begin = ContinuousClock.now
        for index in 0..<options.changesPerHour {
            let due = begin + .milliseconds(Int64(Double(index) * period * 1000))
            if due > .now { try await Task.sleep(until: due) }
            guard let change = live.step() else { continue }
            var key = ""
            if let entity = entity(change.kind) {
                key = "\(change.repository) \(entity)"
                added[key, default: 0] += 1
            }
            // Timed from the delivery (webhooks) or from the change (polling, which has no delivery).
            let sentAt = ContinuousClock.now
            var delivered = sender == nil
            for delivery in change.deliveries {
                guard let sender else { break }
                if await sender.send(delivery) != .dropped { delivered = true }
            }
            if delivered, !key.isEmpty {
                let target = baseline[key, default: 0] + added[key, default: 0]
                let item = Pending(
                    repository: change.repository, entity: String(key.split(separator: " ")[1]), count: target, sentAt: sentAt)
                pending.withLock { $0.append(item) }
            }
        }
        // Let the last deliveries (or polls) land, then stop timing.
        let settle = ContinuousClock.now + .seconds(webhooks ? 10 : 5)
        while ContinuousClock.now < settle, !pending.withLock({ $0.isEmpty }) {
            try await Task.sleep(for: .milliseconds(100))
        }
        scraping.cancel()
        outcome.cycles = cycles.withLock { $0 } - cyclesBefore
        outcome.latencies = latencies.withLock { $0 }
        outcome.histogram = daemon.webhookStatistics.snapshot.deliveryToSnapshot
        if let tally = sender?.tally {
            outcome.sent = tally.sent
            outcome.dropped = tally.dropped
            outcome.duplicated = tally.duplicated
        }
        let log = github.requestLog
        outcome.points = log.filter(\.countedAgainstLimit).count
        outcome.requests = log.count
        let counts = try await storeCounts(httpClient, metricsURL)
        outcome.missingBefore = missing(added: added, baseline: baseline, counts: counts)
        github.clearRequestLog()
        if webhooks {
            // One reconciliation cycle, as the hourly schedule would run.
            let cycle = try daemon.makeCycle(httpClient: httpClient)
            _ = await cycle.run()
            let after = try await storeCounts(httpClient, metricsURL)
            outcome.missingAfter = missing(added: added, baseline: baseline, counts: after)
            outcome.reconciliationPoints = github.requestLog.filter(\.countedAgainstLimit).count
            outcome.reconciliationRequests = github.requestLog.count
        } else {
            outcome.missingAfter = outcome.missingBefore
        }
        baseline = [:]
        running.cancel()
        _ = await running.result
        await server.stop()
        try? await httpClient.shutdown()
        return outcome
    }

    static func missing(added: [String: Int], baseline: [String: Int], counts: [String: Int]) -> Int {
        added.reduce(0) { total, entry in total + max(0, baseline[entry.key, default: 0] + entry.value - counts[entry.key, default: 0]) }
    }

    /// `devops_twin_store_entities` by "repository entity", read from `/metrics`.
    static func storeCounts(_ client: HTTPClient, _ url: String) async throws -> [String: Int] {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 64 << 20))
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("devops_twin_store_entities{") {
            guard let repository = label(line, "repository"), let entity = label(line, "entity"),
                let value = line.split(separator: " ").last.flatMap({ Double($0) })
            else { continue }
            counts["\(repository) \(entity)"] = Int(value)
        }
        return counts
    }

    static func label(_ line: Substring, _ name: String) -> String? {
        guard let range = line.range(of: "\(name)=\"") else { return nil }
        let rest = line[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension WebhookStatistics.Histogram {
    /// The `q` quantile as Prometheus' histogram_quantile computes it (linear within the bucket).
    func quantile(_ q: Double) -> Double {
        guard count > 0 else { return .nan }
        let rank = q * Double(count)
        var lower = 0.0
        var below = 0
        for (bound, cumulative) in zip(bounds, counts) {
            if Double(cumulative) >= rank {
                if bound.isInfinite { return lower }
                let inBucket = cumulative - below
                return inBucket == 0 ? bound : lower + (bound - lower) * (rank - Double(below)) / Double(inBucket)
            }
            lower = bound
            below = cumulative
        }
        return lower
    }
}
