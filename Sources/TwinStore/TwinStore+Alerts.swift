import Dora
import Foundation
import GRDB

/// Alert signals (spec v1.3, "Incidents from alerts"): one row per (fingerprint, startsAt), whatever order and
/// however often its notifications arrive, and the alert record's coverage start.
extension TwinStore {
    /// Schema v5. `ends_at` is the latest resolution's `endsAt` (NULL while none is known); `alert_record` has
    /// one row, the earliest time from which alerts are recorded.
    static let alertSchema = """
        CREATE TABLE alert_signals (
            fingerprint TEXT NOT NULL, starts_at REAL NOT NULL, ends_at REAL, labels TEXT NOT NULL,
            generator_url TEXT, origin TEXT NOT NULL, first_received_at REAL NOT NULL, last_received_at REAL NOT NULL,
            PRIMARY KEY (fingerprint, starts_at));
        CREATE INDEX alert_signals_open ON alert_signals (ends_at);
        CREATE TABLE alert_record (id INTEGER PRIMARY KEY CHECK (id = 1), coverage_start REAL NOT NULL);
        """

    /// Where a record came from: a notification (Alertmanager, Grafana) or an import of `ALERTS`.
    public enum AlertOrigin: String, Sendable {
        case notification, `import`
    }

    /// Stores `records` in one transaction, durable when this returns: an existing signal keeps its labels and
    /// takes the later `endsAt`; the alert record starts at `coverageFrom` unless it started earlier.
    /// - Returns: how many signals were new.
    @discardableResult
    public func recordAlertSignals(
        _ records: [AlertSignalRecord], origin: AlertOrigin, receivedAt: Date, coverageFrom: Date
    ) throws(TwinStoreError) -> Int {
        try write { db in
            var added = 0
            let received = receivedAt.timeIntervalSince1970
            for record in records {
                let labels = String(decoding: try JSONEncoder.sorted.encode(record.labels), as: UTF8.self)
                let exists = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM alert_signals WHERE fingerprint = ? AND starts_at = ?)",
                    arguments: [record.fingerprint, record.startsAt.timeIntervalSince1970]) ?? false
                if !exists { added += 1 }
                try db.execute(
                    sql: """
                        INSERT INTO alert_signals (fingerprint, starts_at, ends_at, labels, generator_url, origin, first_received_at, last_received_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (fingerprint, starts_at) DO UPDATE SET
                            ends_at = CASE WHEN excluded.ends_at IS NULL THEN ends_at WHEN ends_at IS NULL THEN excluded.ends_at
                                ELSE max(ends_at, excluded.ends_at) END,
                            generator_url = COALESCE(generator_url, excluded.generator_url),
                            last_received_at = max(last_received_at, excluded.last_received_at)
                        """,
                    arguments: [
                        record.fingerprint, record.startsAt.timeIntervalSince1970, record.endsAt?.timeIntervalSince1970, labels,
                        record.generatorURL, origin.rawValue, received, received,
                    ])
            }
            try db.execute(
                sql: "INSERT INTO alert_record (id, coverage_start) VALUES (1, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET coverage_start = min(coverage_start, excluded.coverage_start)",
                arguments: [coverageFrom.timeIntervalSince1970])
            return added
        }
    }

    /// Every stored signal, oldest first.
    public func alertSignals() throws(TwinStoreError) -> [AlertSignalRecord] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT fingerprint, starts_at, ends_at, labels, generator_url FROM alert_signals ORDER BY starts_at, fingerprint"
            ).map { row in
                let text: String = row["labels"]
                let labels = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
                let ends: Double? = row["ends_at"]
                return AlertSignalRecord(
                    fingerprint: row["fingerprint"], startsAt: Date(timeIntervalSince1970: row["starts_at"]),
                    endsAt: ends.map { Date(timeIntervalSince1970: $0) }, labels: labels, generatorURL: row["generator_url"])
            }
        }
    }

    /// Where the alert record starts (the first notification received or the earliest imported time); nil
    /// before any.
    public func alertRecordStart() throws(TwinStoreError) -> Date? {
        try read { db in
            try Double.fetchOne(db, sql: "SELECT coverage_start FROM alert_record WHERE id = 1").map { Date(timeIntervalSince1970: $0) }
        }
    }
}

extension JSONEncoder {
    /// Sorted keys: the same labels always give the same text.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
