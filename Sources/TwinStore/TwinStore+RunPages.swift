import Foundation
import GRDB

extension TwinStore {
    /// The oldest `created_at` among the stored, live runs `ids` of `repository` (nil when none is stored): how far
    /// back a page of the newest-first runs listing answered `304 Not Modified` reaches.
    public func oldestRunCreated(repository: String, ids: [Int64]) throws(TwinStoreError) -> Date? {
        guard !ids.isEmpty else { return nil }
        return try read { db in
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            var arguments: StatementArguments = [repository]
            arguments += StatementArguments(ids)
            let oldest = try Double.fetchOne(
                db, sql: "SELECT MIN(created_at) FROM workflow_runs WHERE repository = ? AND deleted = 0 AND id IN (\(marks))",
                arguments: arguments)
            return oldest.map(Date.init(timeIntervalSince1970:))
        }
    }
}
