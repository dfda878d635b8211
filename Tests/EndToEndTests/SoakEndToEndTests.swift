import AsyncHTTPClient
import Foundation
import GitHubSimulator
import Logging
import NIOCore
import Testing
import TwinStore

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon against the simulator with a short interval for at least 200 sync cycles with GitHub faults
/// mixed in: every cycle's outcome is counted, and resident memory and open descriptors stay flat.
@Suite(.serialized) struct SoakEndToEndTests {
    struct Resources: CustomStringConvertible {
        var residentKiB: Int
        var descriptors: Int
        var description: String { "RSS \(residentKiB) KiB, \(descriptors) fds" }

        init(pid: Int32) throws {
            let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
            residentKiB = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
            descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
        }
    }

    static func outcomes(_ port: Int) async -> [String: Int]? {
        guard let text = await LoopbackHTTP.metrics(port: port) else { return nil }
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("devops_twin_sync_runs_total{") {
            guard let range = line.range(of: "result=\""), let end = line[range.upperBound...].firstIndex(of: "\""),
                let value = Double(line.split(separator: " ").last ?? "")
            else { continue }
            counts[String(line[range.upperBound..<end]), default: 0] += Int(value)
        }
        return counts
    }

    @Test func twoHundredCyclesWithFaultsKeepMemoryAndDescriptorsFlat() async throws {
        let cycles = Int(ProcessInfo.processInfo.environment["DEVOPS_TWIN_SOAK_CYCLES"] ?? "") ?? 200
        let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
        let github = SimulatedGitHub(repositories: [.generated(owner: "acme", name: "soak", seed: 21, commits: 600, now: now)])
        let simulator = try await GitHubSimulatorServer.start(github: github, logger: Logger(label: "sim", factory: { _ in SwiftLogNoOpLogHandler() }))
        let workspace = try Workspace()
        defer { workspace.remove() }
        let port = freeLoopbackPort()
        let config = try workspace.writeConfig(
            apiURL: simulator.baseURL, repositories: [#"{"name": "acme/soak", "ciWorkflows": ["CI"]}"#], listen: "127.0.0.1:\(port)")
        let daemon = try TwinProcess(
            ["run", "--config", config, "--log-level", "warning"], in: workspace.url, environment: ["DEVOPS_TWIN_SYNC_INTERVAL": "0.2s"])
        let faults: [SimulatedFault] = [
            .status(502, count: 2), SimulatedFault(kind: .malformedJSON, pathContains: "/issues"),
            SimulatedFault(kind: .connectionReset, pathContains: "/tags"), .secondaryRateLimit(retryAfter: 1, statusCode: 429),
            SimulatedFault(kind: .truncatedBody, pathContains: "/releases"), .status(500, count: 9),
        ]
        var injected = 0
        var baseline: Resources?
        var counted = 0
        let deadline = Date().addingTimeInterval(900)
        while Date() < deadline {
            guard let outcomes = await Self.outcomes(port) else {
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            counted = outcomes.values.reduce(0, +)
            if counted >= cycles { break }
            if baseline == nil, counted >= 20 { baseline = try Resources(pid: daemon.process.processIdentifier) }
            if counted / 10 > injected {
                github.inject(faults[injected % faults.count])
                injected += 1
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let end = try Resources(pid: daemon.process.processIdentifier)
        let outcomes = await Self.outcomes(port) ?? [:]
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 30) == 0)
        await simulator.stop()

        let start = try #require(baseline)
        print("soak: \(counted) cycles, outcomes \(outcomes.sorted { $0.key < $1.key }), \(injected) faults; at cycle 20: \(start); at the end: \(end)")
        #expect(counted >= cycles, "only \(counted) cycles ran: \(daemon.stderr.suffix(1000))")
        #expect((outcomes["failed"] ?? 0) > 0, "faults made some cycles fail")
        #expect((outcomes["success"] ?? 0) > cycles / 2)
        #expect(end.descriptors <= start.descriptors + 4, "descriptors grew: \(start) -> \(end)")
        #expect(Double(end.residentKiB) <= Double(start.residentKiB) * 1.25 + 16 * 1024, "memory grew: \(start) -> \(end)")
        // Every cycle is in the store's history: at least the cycles /metrics counted, each outcome at least as
        // often (the store only grows after the last scrape), and every request the simulator answered is
        // recorded by the cycle that made it.
        let store = try TwinStore(path: workspace.storePath, logger: Logger(label: "check"))
        let history = try store.syncHealth("acme/soak")
        #expect(history.outcomes.values.reduce(0, +) >= counted, "store history \(history.outcomes), /metrics \(outcomes)")
        for (outcome, count) in outcomes {
            #expect((history.outcomes[outcome] ?? 0) >= count, "\(outcome): store \(history.outcomes), /metrics \(outcomes)")
        }
        let recordedRequests = history.requestsByStatus.values.reduce(0, +)
        // The planner's free `GET /rate_limit` (once per credential and cycle) belongs to no repository.
        let served = github.requestLog.filter { !$0.pathAndQuery.hasPrefix("/rate_limit") }.count
        #expect(recordedRequests == served, "requests in the store's history \(recordedRequests), served \(served)")
    }
}
