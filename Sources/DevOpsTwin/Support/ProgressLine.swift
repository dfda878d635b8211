import Foundation
import Sync
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress display on a terminal (entity, pages, items, rate-limit remaining). When
/// standard error is not a terminal there is no progress line; the structured log lines say it all.
final class ProgressLine: Sendable {
    private let lastWidth = Mutex(0)

    static func forStandardError() -> ProgressLine? {
        isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil
    }

    func report(_ event: SyncProgress) {
        var line = "\(event.repository) \(event.entity): \(event.pages) pages, \(event.items) items"
        if let remaining = event.rateLimitRemaining { line += ", rate limit remaining \(remaining)" }
        lastWidth.withLock { width in
            let padding = String(repeating: " ", count: max(0, width - line.count))
            FileHandle.standardError.write(Data("\r\(line)\(padding)".utf8))
            width = line.count
        }
    }

    func finish() {
        lastWidth.withLock { width in
            if width > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
            width = 0
        }
    }
}
