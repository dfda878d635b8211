import Foundation
import GRDB
import Logging
import Testing

@testable import Dora
@testable import TwinStore

/// A store written by the previous schema (v1: only each deployment's latest state) opens under the current
/// one without losing anything, and marks its deployments for one statuses fetch.
@Suite("Migrating a store")
struct TwinStoreMigrationTests {
    /// Builds a v1 store file the way the previous release wrote it: the v1 migration only, then rows.
    static func writeVersion1Store(at path: String) throws {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try TwinStoreSchema.migrator.migrate(queue, upTo: "v1-initial-schema")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO commits (repository, sha, parents, author_name, author_email, committer_name,
                    committer_email, authored_at, committed_at, message, seq) VALUES
                    ('octo/app', 'c1', '[]', 'A', 'a@x', 'C', 'c@x', 100, 100, 'first', 1);
                    INSERT INTO deployments (repository, id, sha, ref, environment, created_at, updated_at,
                    latest_state, latest_state_at, seq) VALUES
                    ('octo/app', 7, 'c1', 'v1', 'prod', 200, 260, 'inactive', 260, 2),
                    ('octo/app', 8, 'c1', 'v1', 'prod', 300, 330, 'success', 330, 3);
                    INSERT INTO http_cache (url, etag, next_url, item_keys, updated_at) VALUES
                    ('/repos/octo/app/deployments/7/statuses?per_page=100', '"old"', NULL, '[]', 260);
                    INSERT INTO rate_limit (resource, "limit", remaining, used, reset, observed_at) VALUES
                    ('core', 5000, 4321, 679, 4000, 350);
                    INSERT INTO sync_runs (repository, started_at, finished_at, outcome) VALUES
                    ('octo/app', 100, 340, 'success');
                    UPDATE store_meta SET value = 3 WHERE key = 'last_seq';
                    """)
        }
        try queue.close()
    }

    @Test("a v1 store upgrades to the current schema keeping every row")
    func version1StoreUpgrades() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twinstore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.sqlite").path
        try Self.writeVersion1Store(at: path)

        let store = try TwinStore(path: path, logger: Logger(label: "test"))
        let version = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'schema_version'")
        }
        #expect(version == TwinStore.schemaVersion)
        #expect(TwinStore.schemaVersion == 6)
        // v6: the planner keeps no state yet.
        #expect(try store.plannerState().isEmpty)
        // v4: the one rate limit becomes the default credential's.
        #expect(try store.rateLimits() == [RateLimitRecord(credential: "default", resource: "core", limit: 5000, remaining: 4321, used: 679, reset: Fixtures.date(4000))])
        // v3: a repository synced whole before coverage was recorded is complete; one never synced has none.
        #expect(try store.historyCoverage(repository: "octo/app") == .complete)
        #expect(try store.historyCoverage(repository: "octo/other") == HistoryCoverage.none)
        let counts = try store.entityCounts("octo/app")
        #expect(counts["commits"] == 1)
        #expect(counts["deployments"] == 2)
        #expect(try store.maxSequence(repository: "octo/app") == 3)
        let data = try store.repositoryData("octo/app")
        #expect(data.deployments.map(\.latestState) == ["inactive", "success"])
        #expect(data.deployments.allSatisfy { $0.statuses.isEmpty })
        // The ETag of the statuses response whose statuses were not kept stays, but is not sent again.
        #expect(try store.httpCacheEntry(url: "/repos/octo/app/deployments/7/statuses?per_page=100")?.etag == "\"old\"")
        let progress = try store.deploymentStatusProgress(repository: "octo/app")
        #expect(progress.map(\.id) == [7, 8])
        #expect(progress.map(\.statusesSynced) == [false, false])
        #expect(progress.map(\.succeeded) == [false, false])
    }

    @Test("statuses fetched after the upgrade are kept and turn the superseded deployment into a success")
    func statusesAfterUpgrade() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twinstore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.sqlite").path
        try Self.writeVersion1Store(at: path)
        let store = try TwinStore(path: path, logger: Logger(label: "test"))
        var batch = StoreBatch()
        batch.deploymentStatusHistories = [
            .init(
                repository: "octo/app", deploymentId: 7,
                statuses: [
                    .init(id: 3, state: "inactive", createdAt: Fixtures.date(330)),
                    .init(id: 1, state: "in_progress", createdAt: Fixtures.date(205)),
                    .init(id: 2, state: "success", createdAt: Fixtures.date(240)),
                ])
        ]
        #expect(try store.apply(batch).stored[.deployments] == 1)
        // The same statuses again change nothing.
        #expect(try store.apply(batch).stored[.deployments] == nil)
        let deployment = try #require(try store.repositoryData("octo/app").deployments.first { $0.id == 7 })
        #expect(deployment.statuses.map(\.state) == ["in_progress", "success", "inactive"])
        #expect(deployment.latestState == "inactive")
        #expect(deployment.latestStateAt == Fixtures.date(330))
        let progress = try store.deploymentStatusProgress(repository: "octo/app")
        let seven = try #require(progress.first { $0.id == 7 })
        #expect(seven.statusesSynced && seven.succeeded)
        let timeline = try DoraEngine.timeline(
            for: try store.repositoryData("octo/app"),
            definitions: DoraDefinitions(deploymentSource: .deployments(environmentPattern: "^prod$")), asOf: Fixtures.date(1000))
        #expect(timeline.deployments.map(\.key) == ["deployment:7", "deployment:8"])
        #expect(timeline.deployments.first?.time == Fixtures.date(240))
    }
}
