import Foundation

/// How far back a repository's synced history reaches (spec v1.2, "Coverage").
///
/// A progressive sync first fetches a shallow horizon of every repository, so that each has numbers early, and
/// deepens the history afterwards. A window that reaches back beyond what is synced is *incomplete*: reported as
/// such, with its statistics absent, never computed from part of the data.
public enum HistoryCoverage: Sendable, Hashable {
    /// Everything the configuration asks for is synced (back to the repository's `since`, or all of it).
    case complete
    /// Every commit, deployment, issue and run dated at or after `from` is synced, and every issue open now;
    /// older events may be missing.
    case partial(from: Date)
    /// Nothing is synced yet.
    case none

    /// The earliest instant from which the history is known to be whole (nil: complete; `distantFuture`: none).
    public var coveredFrom: Date? {
        switch self {
        case .complete: nil
        case .partial(let from): from
        case .none: .distantFuture
        }
    }

    /// Name for reports and logs: `complete`, `partial` or `none`.
    public var name: String {
        switch self {
        case .complete: "complete"
        case .partial: "partial"
        case .none: "none"
        }
    }
}
