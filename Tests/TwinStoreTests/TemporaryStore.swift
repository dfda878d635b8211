import Foundation
import Logging

@testable import TwinStore

/// A store file in a fresh temporary folder, removed when released.
final class TemporaryStore {
    let folder: URL
    let path: String
    let store: TwinStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("twinstore-\(UUID().uuidString)")
        path = folder.appendingPathComponent("nested/store.sqlite").path
        store = try TwinStore(path: path, logger: Logger(label: "test"))
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}

enum Fixtures {
    static let repository = "octo/app"
    static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    static func commit(_ sha: String, parents: [String] = [], at seconds: Double = 1_700_000_000, message: String = "m")
        -> StoredCommit
    {
        StoredCommit(
            repository: repository, sha: sha, parents: parents, authorName: "A", authorEmail: "a@x",
            authorLogin: "a", committerName: "C", committerEmail: "c@x", committerLogin: nil,
            authoredAt: date(seconds), committedAt: date(seconds + 10), message: message)
    }
}
