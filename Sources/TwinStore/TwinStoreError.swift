import Foundation

/// The one error type of TwinStore: what is wrong with the store file and what to do about it.
public struct TwinStoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The store was written by a newer devops-twin (its schema version is unknown to this build).
        case newerVersion
        /// The file is not an SQLite database, or it is damaged.
        case corrupt
        /// The folder or file cannot be created or written.
        case unwritable
        /// Any other SQLite failure.
        case database
    }

    public var kind: Kind
    /// The store file path.
    public var path: String
    /// Extra detail (the SQLite message, the versions involved).
    public var detail: String

    public init(kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .newerVersion:
            "the store \(path) was written by a newer version of devops-twin (\(detail)); "
                + "upgrade devops-twin or point store.path elsewhere"
        case .corrupt:
            "the store \(path) is not a readable devops-twin SQLite database (\(detail)); "
                + "move the file away or point store.path elsewhere, and the next sync rebuilds it"
        case .unwritable:
            "the store \(path) cannot be created or written (\(detail)); "
                + "check the folder exists and is writable by this user, or point store.path elsewhere"
        case .database:
            "the store \(path) failed: \(detail)"
        }
    }
}
