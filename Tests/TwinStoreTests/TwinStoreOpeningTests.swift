import Foundation
import GRDB
import Logging
import Testing

@testable import TwinStore

@Suite("Opening a store")
struct TwinStoreOpeningTests {
    @Test("a fresh file gets every table of the current schema and its version")
    func freshFileIsMigrated() throws {
        let temporary = try TemporaryStore()
        let tables = try temporary.store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in [
            "commits", "deployment_statuses", "deployments", "http_cache", "issues", "projection_runs", "projection_state", "rate_limits",
            "releases", "store_meta", "sync_cursors", "sync_runs", "tags", "workflow_runs", "workflows", "history_coverage", "discovery_pages",
        ] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        let version = try temporary.store.read { db in
            try Int.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'schema_version'")
        }
        #expect(version == TwinStore.schemaVersion)
        let journal = try temporary.store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }

    @Test("reopening keeps the data and does not migrate again")
    func reopenKeepsData() throws {
        let temporary = try TemporaryStore()
        var batch = StoreBatch()
        batch.commits = [Fixtures.commit("a")]
        try temporary.store.apply(batch)
        let reopened = try TwinStore(path: temporary.path, logger: Logger(label: "test"))
        #expect(try reopened.entityCounts(Fixtures.repository)["commits"] == 1)
        #expect(try reopened.maxSequence(repository: Fixtures.repository) == 1)
    }

    @Test("a store written by a newer version is refused with a clear error")
    func newerVersionIsRefused() throws {
        let temporary = try TemporaryStore()
        try temporary.store.write { db in
            try db.execute(sql: "UPDATE store_meta SET value = 99 WHERE key = 'schema_version'")
        }
        let error = try #require(throws: TwinStoreError.self) {
            _ = try TwinStore(path: temporary.path, logger: Logger(label: "test"))
        }
        #expect(error.kind == .newerVersion)
        #expect(error.description.contains("newer version"))
        #expect(error.description.contains("upgrade devops-twin or point store.path elsewhere"))
        #expect(error.description.contains(temporary.path))
    }

    @Test("a store with a migration this build does not know is refused")
    func unknownMigrationIsRefused() throws {
        let temporary = try TemporaryStore()
        try temporary.store.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        }
        let error = try #require(throws: TwinStoreError.self) {
            _ = try TwinStore(path: temporary.path, logger: Logger(label: "test"))
        }
        #expect(error.kind == .newerVersion)
    }

    @Test("a file that is not SQLite gives a corrupt-store error, not a crash")
    func corruptFileIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twinstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.sqlite").path
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: TwinStoreError.self) {
            _ = try TwinStore(path: path, logger: Logger(label: "test"))
        }
        #expect(error.kind == .corrupt)
        #expect(error.description.contains(path))
    }

    @Test("a path below a regular file gives an unwritable error naming the path")
    func unwritablePathIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twinstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("sub/store.sqlite").path
        let error = try #require(throws: TwinStoreError.self) {
            _ = try TwinStore(path: path, logger: Logger(label: "test"))
        }
        #expect(error.kind == .unwritable)
        #expect(error.description.contains(path))
    }

    @Test("a folder given as the store path gives an unwritable error")
    func folderPathIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twinstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(throws: TwinStoreError.self) {
            _ = try TwinStore(path: folder.path, logger: Logger(label: "test"))
        }
        #expect(error.kind == .unwritable)
    }
}
