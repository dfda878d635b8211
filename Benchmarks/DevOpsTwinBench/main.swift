import Foundation

// devops-twin-bench: benchmarks that print ratios against a baseline measured in the same run.
// Not part of `swift test`. Build in release for figures worth quoting:
//   swift build -c release --product devops-twin-bench && .build/release/devops-twin-bench <name> [options]
let arguments = Array(CommandLine.arguments.dropFirst())
let name = arguments.first ?? "help"
let rest = Array(arguments.dropFirst())
switch name {
case "sync": try await SyncBenchmark.run(arguments: rest)
case "metrics": try await MetricsBenchmark.run(arguments: rest)
case "projection": try await ProjectionBenchmark.run(arguments: rest)
case "webhooks": try await WebhookBenchmark.run(arguments: rest)
case "snapshot": try await SnapshotRefreshBenchmark.run(arguments: rest)
default:
    print("""
        usage: devops-twin-bench sync|metrics|projection|webhooks|snapshot [options]
          sync        requests of a full flask-history sync vs the minimum; points of an unchanged second sync;
                      wall time, peak memory and items/s of a 100,000-commit sync through the simulator
          metrics     /metrics under 64 concurrent clients vs Hummingbird serving a fixed 50 KB string
          projection  HTTP requests and statements per 1,000 items projecting 100,000 commits into the fake Neo4j;
                      --repositories N: per-repository runs against one batched cycle
          snapshot    full and partial snapshot refresh at 1,000 repositories, series and bytes of /metrics
          webhooks    one simulated hour of live activity on 50 repositories (10% of deliveries dropped, 5% duplicated):
                      delivery to /metrics p50/p99, changes missing before/after one reconciliation, rate-limit
                      points against polling every minute
        (the DORA engine benchmark is its own product: devops-twin-dora-bench)
        """)
}
