import Foundation
import GRDB
import Logging

/// The embedded store: one SQLite file (GRDB `DatabasePool`, WAL) holding what GitHub said about every
/// configured repository, the sync cursors and ETags, and the sync/projection history.
///
/// Thread-safe: GRDB serialises writes and runs reads concurrently (WAL). Several processes may open the
/// same file; writers wait up to 30 s for each other.
public final class TwinStore: Sendable {
    /// The store file path.
    public let path: String
    let pool: DatabasePool
    let logger: Logger

    /// Opens (creating the folder and file when needed) and migrates the store at `path`.
    /// - Throws: `TwinStoreError` when the file was written by a newer version, is not a readable SQLite
    ///   database, or cannot be created or written.
    public init(path: String, logger: Logger) throws {
        self.path = path
        self.logger = logger
        let fileURL = URL(fileURLWithPath: path)
        let folder = fileURL.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw TwinStoreError(
                kind: .unwritable, path: path, detail: "cannot create folder \(folder.path): \(error.localizedDescription)")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw TwinStoreError(kind: .unwritable, path: path, detail: "it is a folder, not a file")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "TwinStore"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw Self.storeError(error, path: path)
        }
        self.pool = pool
        do {
            try pool.write { db in
                if try db.tableExists("store_meta") {
                    let version = try Int.fetchOne(
                        db, sql: "SELECT value FROM store_meta WHERE key = 'schema_version'") ?? 0
                    if version > TwinStoreSchema.currentVersion {
                        throw TwinStoreError(
                            kind: .newerVersion, path: path,
                            detail: "schema version \(version); this build knows up to \(TwinStoreSchema.currentVersion)")
                    }
                }
                if try TwinStoreSchema.migrator.hasBeenSuperseded(db) {
                    throw TwinStoreError(
                        kind: .newerVersion, path: path, detail: "it has migrations this build does not know")
                }
            }
            try TwinStoreSchema.migrator.migrate(pool)
        } catch let error as TwinStoreError {
            throw error
        } catch {
            throw Self.storeError(error, path: path)
        }
        logger.debug("store opened", metadata: ["path": "\(path)", "schema": "\(TwinStoreSchema.currentVersion)"])
    }

    /// Maps an SQLite failure to a `TwinStoreError` saying what to do.
    static func storeError(_ error: any Error, path: String) -> TwinStoreError {
        if let error = error as? TwinStoreError { return error }
        guard let databaseError = error as? DatabaseError else {
            return TwinStoreError(kind: .database, path: path, detail: "\(error)")
        }
        let detail = databaseError.message ?? "\(databaseError.resultCode)"
        switch databaseError.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return TwinStoreError(kind: .corrupt, path: path, detail: detail)
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return TwinStoreError(kind: .unwritable, path: path, detail: detail)
        default:
            return TwinStoreError(kind: .database, path: path, detail: detail)
        }
    }

    /// Runs a read, mapping failures to `TwinStoreError`.
    func read<T>(_ body: (Database) throws -> T) throws(TwinStoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    /// Runs a write transaction, mapping failures to `TwinStoreError`.
    func write<T>(_ body: (Database) throws -> T) throws(TwinStoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    /// The schema version of this build.
    public static var schemaVersion: Int { TwinStoreSchema.currentVersion }
}

// MARK: - Value conversion (times are REAL Unix seconds; lists are JSON text)

extension Date {
    var storeValue: Double { timeIntervalSince1970 }
    init(storeValue: Double) { self.init(timeIntervalSince1970: storeValue) }
}

enum StoreJSON {
    static func encode(_ strings: [String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: strings),
            let text = String(data: data, encoding: .utf8)
        else { return "[]" }
        return text
    }

    static func decodeStrings(_ text: String) -> [String] {
        guard let data = text.data(using: .utf8),
            let value = try? JSONSerialization.jsonObject(with: data) as? [String]
        else { return [] }
        return value
    }

    static func encode(_ counts: [String: Int]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: counts, options: [.sortedKeys]),
            let text = String(data: data, encoding: .utf8)
        else { return "{}" }
        return text
    }

    static func decodeCounts(_ text: String) -> [String: Int] {
        guard let data = text.data(using: .utf8),
            let value = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return value.compactMapValues { ($0 as? NSNumber)?.intValue }
    }
}

extension Row {
    func date(_ column: String) -> Date {
        let value: Double = self[column]
        return Date(storeValue: value)
    }

    func optionalDate(_ column: String) -> Date? {
        let value: Double? = self[column]
        return value.map(Date.init(storeValue:))
    }
}
