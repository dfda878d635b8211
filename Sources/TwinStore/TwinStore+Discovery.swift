import Foundation
import GRDB

/// Pages of discovery listings, kept so that a 304 (no rate-limit point) answers with what the page held.
extension TwinStore {
    /// The JSON items stored for a listing page, with the page's ETag; nil when the page was never stored.
    public func discoveryPage(url: String) throws(TwinStoreError) -> (etag: String?, items: String)? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT d.items, c.etag FROM discovery_pages d LEFT JOIN http_cache c ON c.url = d.url WHERE d.url = ?
                    """, arguments: [url]
            ).map { (etag: $0["etag"], items: $0["items"]) }
        }
    }

    /// Stores a listing page and its ETag together.
    public func storeDiscoveryPage(url: String, etag: String?, items: String, now: Date = Date()) throws(TwinStoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO discovery_pages (url, items, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT(url) DO UPDATE SET items = excluded.items, updated_at = excluded.updated_at
                    """, arguments: [url, items, now.timeIntervalSince1970])
            try db.execute(
                sql: """
                    INSERT INTO http_cache (url, etag, next_url, item_keys, updated_at) VALUES (?, ?, NULL, '[]', ?)
                    ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, updated_at = excluded.updated_at
                    """, arguments: [url, etag, now.timeIntervalSince1970])
        }
    }
}

extension TwinStore {
    /// The repositories the last discovery admitted, as JSON (`store_meta` key `discovery`): what a restart and
    /// the offline commands (`report`, `backfill`, `project`) use until the next discovery.
    public func lastDiscovery() throws(TwinStoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'discovery'") }
    }

    public func recordDiscovery(_ json: String) throws(TwinStoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO store_meta (key, value) VALUES ('discovery', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [json])
        }
    }
}
