import Exporter
import Foundation
import Logging
import TwinConfig
import TwinRuntime
import TwinStore

/// Snapshot refresh at organisation scale: `--repositories N` (default 1,000; 90 % of 200 commits, 10 % of 2,000,
/// as Benchmarks/organisation) in a real store file, refreshed through the daemon's own `refreshSnapshot`. Prints
/// the series and bytes of `/metrics`, the median of `--runs` full refreshes, and the median of partial refreshes
/// after one repository changed (a commit and a release appended), each to the snapshot served. With
/// `--exclude-windows 7d,all` / `--exclude-families a,b` the same with `exporter.exclude`.
enum SnapshotRefreshBenchmark {
    static func run(arguments: [String]) async throws {
        let repositories = MetricsBenchmark.integer(arguments, "--repositories") ?? 1000
        let runs = MetricsBenchmark.integer(arguments, "--runs") ?? 5
        let excludeWindows = MetricsBenchmark.option(arguments, "--exclude-windows").map { $0.split(separator: ",").map(String.init) } ?? []
        let excludeFamilies = MetricsBenchmark.option(arguments, "--exclude-families").map { $0.split(separator: ",").map(String.init) } ?? []
        let logger = Logger(label: "snapshot-benchmark", factory: { _ in SwiftLogNoOpLogHandler() })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = (0..<repositories).map { String(format: "bench/repo-%04d", $0) }
        let quote: (String) -> String = { "\"\($0)\"" }
        let json = """
            {
              "github": {"apiUrl": "http://127.0.0.1:1"},
              "store": {"path": "\(folder.path)/twin.sqlite"},
              "exporter": {"exclude": {"families": [\(excludeFamilies.map(quote).joined(separator: ","))], "windows": [\(excludeWindows.map(quote).joined(separator: ","))]}},
              "repositories": [\(names.map { #"{"name": "\#($0)", "deployments": {"source": "releases"}, "ciWorkflows": ["CI"]}"# }.joined(separator: ","))]
            }
            """
        var loader = ConfigLoader(environment: [:])
        loader.knownMetricFamilies = Set(MetricsFilter.knownFamilies)
        let configuration = try loader.load(data: Data(json.utf8), origin: "benchmark").configuration
        let store = try TwinStore(path: configuration.store.path, logger: logger)
        let clock = ContinuousClock()
        let fillStart = clock.now
        var last = Date(timeIntervalSince1970: 0)
        for (index, name) in names.enumerated() {
            let commits = index % 10 == 9 ? 2000 : 200
            last = max(last, try fill(store, repository: name, commits: commits))
            let run = try store.beginSyncRun(repository: name, startedAt: last)
            try store.finishSyncRun(id: run, finishedAt: last, outcome: "success", error: nil, requestsByStatus: ["200": 10], itemsByEntity: ["commits": commits])
        }
        print("snapshot.repositories \(repositories) (store filled in \(String(format: "%.1f", MetricsBenchmark.seconds(clock.now - fillStart))) s)")
        let daemon = TwinDaemon(configuration: configuration, store: store, build: BuildInfo(version: "bench", revision: "bench"), logger: logger)
        var asOf = last.addingTimeInterval(86_400)

        var full: [Double] = []
        var fullToMetrics: [Double] = []
        for _ in 0..<runs {
            asOf += 60
            let start = clock.now
            let timings = daemon.refreshSnapshot(asOf: asOf)
            full.append(MetricsBenchmark.seconds(clock.now - start))
            fullToMetrics.append(timings.map { MetricsBenchmark.seconds($0.metricsPublished) } ?? 0)
        }
        let body = daemon.holder.rendered?.body(.prometheusText, gzip: false).readableBytes ?? 0
        let series = daemon.holder.rendered?.composed?.seriesCount ?? 0
        print("snapshot.series \(series)")
        print("snapshot.body_bytes \(body) (text 0.0.4, uncompressed)")
        print("snapshot.full_refresh_seconds_median \(String(format: "%.3f", median(full))) (\(runs) runs: \(full.map { String(format: "%.2f", $0) }.joined(separator: " ")))")

        print("snapshot.full_refresh_to_metrics_seconds_median \(String(format: "%.3f", median(fullToMetrics)))")
        var partial: [Double] = []
        var partialToMetrics: [Double] = []
        for run in 0..<runs {
            let name = names[(run * 7) % names.count]
            let sha = String(format: "%040x", 900_000 + run)
            var batch = StoreBatch()
            let time = asOf.addingTimeInterval(-600)
            batch.commits.append(
                StoredCommit(repository: name, sha: sha, parents: [], authorName: "dev", authorLogin: "dev", authoredAt: time, committedAt: time, message: "change \(run)"))
            batch.releases.append(
                StoredRelease(repository: name, id: Int64(900_000 + run), tagName: "hotfix-\(run)", createdAt: time.addingTimeInterval(60),
                    publishedAt: time.addingTimeInterval(60), commitSha: sha))
            _ = try store.apply(batch)
            asOf += 60
            let start = clock.now
            let timings = daemon.refreshSnapshot(changed: [name], asOf: asOf)
            partial.append(MetricsBenchmark.seconds(clock.now - start))
            partialToMetrics.append(timings.map { MetricsBenchmark.seconds($0.metricsPublished) } ?? 0)
        }
        print("snapshot.partial_refresh_to_metrics_seconds_median \(String(format: "%.3f", median(partialToMetrics)))")
        print("snapshot.partial_refresh_seconds_median \(String(format: "%.3f", median(partial))) (\(runs) runs: \(partial.map { String(format: "%.3f", $0) }.joined(separator: " ")))")
        print(String(format: "snapshot.full_to_partial_ratio %.1f", median(full) / max(median(partial), 1e-9)))

        // Where a partial refresh's time goes: assembling and gzipping the parts alone.
        if let composed = daemon.holder.rendered?.composed {
            let start = clock.now
            _ = try RenderedSnapshot(composed, renderedStatusPage: nil)
            print("snapshot.assemble_and_gzip_seconds \(String(format: "%.3f", MetricsBenchmark.seconds(clock.now - start)))")
            let renderStart = clock.now
            for format in ExpositionFormat.allCases { _ = composed.render(format) }
            print("snapshot.assemble_seconds \(String(format: "%.3f", MetricsBenchmark.seconds(clock.now - renderStart))) (both formats)")
            let wholeStart = clock.now
            let whole = composed.snapshot
            for format in ExpositionFormat.allCases { _ = ExpositionRenderer.render(whole, format: format) }
            print("snapshot.render_everything_seconds \(String(format: "%.3f", MetricsBenchmark.seconds(clock.now - wholeStart))) (both formats, every sample: what each refresh did before)")
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// About two commits a day ending at the same instant for every repository, a release every 20 commits, a CI
    /// run per commit, an incident every 100 commits; returns the last commit's time.
    static func fill(_ store: TwinStore, repository: String, commits: Int) throws -> Date {
        let end = Date(timeIntervalSince1970: 1_767_225_600)
        var batch = StoreBatch()
        func sha(_ index: Int) -> String { String(format: "%040x", index + 1) }
        for index in 0..<commits {
            let time = end.addingTimeInterval(-Double(commits - index) * 43_200)
            batch.commits.append(
                StoredCommit(
                    repository: repository, sha: sha(index), parents: index == 0 ? [] : [sha(index - 1)], authorName: "dev\(index % 7)",
                    authorLogin: "dev\(index % 7)", authoredAt: time, committedAt: time, message: "commit \(index)"))
            batch.workflowRuns.append(
                StoredWorkflowRun(
                    repository: repository, id: Int64(index + 1), workflowId: 1, name: "CI", headBranch: index % 3 == 0 ? "feature" : "main",
                    headSha: sha(index), status: "completed", conclusion: index % 9 == 0 ? "failure" : "success", runNumber: index + 1,
                    createdAt: time, runStartedAt: time.addingTimeInterval(30), updatedAt: time.addingTimeInterval(Double(300 + index % 200))))
            if index % 20 == 19 {
                batch.releases.append(
                    StoredRelease(
                        repository: repository, id: Int64(index / 20 + 1), tagName: "v\(index / 20)", createdAt: time.addingTimeInterval(3600),
                        publishedAt: time.addingTimeInterval(3600), commitSha: sha(index)))
            }
            if index % 100 == 50 {
                batch.issues.append(
                    StoredIssue(
                        repository: repository, number: index / 100 + 1, id: Int64(index), title: "outage", state: "closed", labels: ["incident"],
                        userLogin: "ops", createdAt: time.addingTimeInterval(7200), updatedAt: time.addingTimeInterval(14_400),
                        closedAt: time.addingTimeInterval(14_400)))
            }
        }
        batch.workflows.append(StoredWorkflow(repository: repository, id: 1, name: "CI", path: ".github/workflows/ci.yml", state: "active"))
        _ = try store.apply(batch)
        return end
    }
}
