// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "devops-twin",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "devops-twin", targets: ["DevOpsTwin"]),
        .executable(name: "devops-twin-bench", targets: ["DevOpsTwinBench"]),
        .executable(name: "devops-twin-dora-bench", targets: ["DoraBench"]),
        .executable(name: "devops-twin-fuzz", targets: ["DevOpsTwinFuzz"]),
        .library(name: "Dora", targets: ["Dora"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", exact: "1.5.0"),
        // HMAC-SHA256 (webhook signatures) and RS256 (GitHub App JWTs); already built for swift-nio-ssl's users.
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
    ],
    targets: [
        // Pure DORA engine: Foundation only, no I/O, time passed in.
        .target(name: "Dora"),
        // Retry waits: exponential backoff with a cap, shared by the GitHub and Neo4j clients and the schedule.
        .target(name: "Backoff"),
        // JSON string literals: one escaping for every hand-written JSON text.
        .target(name: "JSONEscaping"),
        // GitHub REST client and models.
        .target(
            name: "GitHubAPI",
            dependencies: [
                "Backoff",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // Embedded SQLite store: migrations, upserts, cursors/ETags, read models.
        .target(
            name: "TwinStore",
            dependencies: [
                "Dora",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Neo4j HTTP client (discovery, Query API, classic transactional endpoint).
        .target(
            name: "Neo4jHTTP",
            dependencies: [
                "Backoff", "JSONEscaping",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Configuration: config.json, environment overrides, validation, prototype conversion.
        .target(name: "TwinConfig", dependencies: ["Dora", "JSONEscaping"]),
        // Simulated GitHub REST API on loopback, for tests, the demo and benchmarks.
        .target(
            name: "GitHubSimulator",
            dependencies: [
                "JSONEscaping",
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                // Live mode: signed webhook deliveries sent to a configured URL.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Sync jobs (GitHub -> store) and their scheduling.
        .target(
            name: "Sync",
            dependencies: [
                "Backoff", "Dora", "GitHubAPI", "TwinStore", "TwinConfig",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The Neo4j projection (store -> graph): schema, statements, watermark, batched writes.
        .target(
            name: "GraphProjection",
            dependencies: [
                "Dora", "TwinStore", "TwinConfig", "Neo4jHTTP",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // GitHub webhook receiver: signature check, delivery routing, duplicates, the coalescing queue, its listener,
        // forwarding to the owning shard.
        .target(
            name: "Webhooks",
            dependencies: [
                "Backoff", "Dora", "Sync", "TwinConfig",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Metrics snapshot, Prometheus/OpenMetrics rendering, HTTP routes.
        .target(
            name: "Exporter",
            dependencies: [
                "Dora",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The daemon's cycle, snapshot refresh, report assembly, projection wiring and historical series:
        // library parts wired together from a validated configuration.
        .target(
            name: "TwinRuntime",
            dependencies: [
                "Dora", "GitHubAPI", "TwinStore", "TwinConfig", "Neo4jHTTP", "Sync", "GraphProjection", "Exporter", "Webhooks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The `devops-twin` executable: argument parsing and process concerns (logging, signals, exit codes).
        .executableTarget(
            name: "DevOpsTwin",
            dependencies: [
                "Dora", "GitHubAPI", "TwinStore", "TwinConfig", "GitHubSimulator", "Sync", "GraphProjection", "Exporter", "TwinRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks: ratios against a baseline measured in the same run (not part of `swift test`).
        .executableTarget(
            name: "DevOpsTwinBench",
            dependencies: [
                "Dora", "GitHubAPI", "TwinStore", "TwinConfig", "GitHubSimulator", "Sync", "GraphProjection", "Exporter", "Neo4jHTTP",
                "TwinRuntime", "Webhooks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/DevOpsTwinBench"
        ),
        // DORA engine benchmark: depends on Dora only, so a release build is quick.
        .executableTarget(name: "DoraBench", dependencies: ["Dora"], path: "Benchmarks/DoraBench"),
        // Fuzzing (docs/fuzzing.md): the harnesses, testable without libFuzzer, and `devops-twin-fuzz`, which runs
        // one under libFuzzer when built by scripts/fuzz (-sanitize=fuzzer) and replays files in a normal build.
        .target(
            name: "FuzzHarnesses",
            dependencies: [
                "Exporter", "GitHubAPI", "TwinConfig", "Webhooks",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Fuzz/FuzzHarnesses"
        ),
        .executableTarget(name: "DevOpsTwinFuzz", dependencies: ["FuzzHarnesses"], path: "Fuzz/DevOpsTwinFuzz"),
        // Test support: a strict protocol-level fake of Neo4j's HTTP APIs on loopback.
        .target(
            name: "Neo4jFake",
            dependencies: [
                "JSONEscaping",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support/Neo4jFake"
        ),
        .testTarget(name: "DoraTests", dependencies: ["Dora"]),
        .testTarget(name: "BackoffTests", dependencies: ["Backoff"]),
        .testTarget(name: "JSONEscapingTests", dependencies: ["JSONEscaping"]),
        .testTarget(name: "FuzzHarnessesTests", dependencies: ["FuzzHarnesses", "Exporter"]),
        .testTarget(
            name: "GitHubAPITests",
            dependencies: [
                "GitHubAPI", "GitHubSimulator",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TwinStoreTests",
            dependencies: [
                "TwinStore", "Dora",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "TwinConfigTests", dependencies: ["TwinConfig", "Dora"]),
        .testTarget(
            name: "GitHubSimulatorTests",
            dependencies: [
                "GitHubSimulator",
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "Neo4jHTTPTests",
            dependencies: [
                "Neo4jHTTP", "Neo4jFake",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SyncTests",
            dependencies: [
                "Sync", "GraphProjection", "GitHubAPI", "TwinStore", "TwinConfig", "GitHubSimulator", "Neo4jHTTP", "Neo4jFake", "Dora",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["ProjectionGolden"]
        ),
        .testTarget(
            name: "ExporterTests",
            dependencies: [
                "Exporter", "Dora",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "WebhooksTests",
            dependencies: [
                "Webhooks", "Backoff", "Sync", "TwinConfig", "Dora",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "TwinRuntimeTests",
            dependencies: [
                "TwinRuntime", "Dora", "Exporter", "GitHubSimulator", "Sync", "TwinConfig", "TwinStore", "Webhooks",
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // End-to-end: runs the built `devops-twin` binary against the simulator (and a real Prometheus).
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "GitHubSimulator", "TwinStore", "Dora", "Neo4jFake",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
    ]
)
