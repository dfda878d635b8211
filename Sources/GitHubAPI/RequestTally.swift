import Synchronization

/// Counts HTTP outcomes by status: every response (retried ones, redirects and 304s included)
/// and `"error"` for transport failures (timeouts, resets) that produced no status.
public final class RequestTally: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Creates an empty tally.
    public init() {}

    /// Records one outcome; `nil` means a transport error without an HTTP status.
    public func record(status: Int?) {
        let key = status.map(String.init) ?? "error"
        counts.withLock { $0[key, default: 0] += 1 }
    }

    /// Counts keyed by status text (`"200"`, `"304"`, `"502"`) or `"error"`.
    public var countsByStatus: [String: Int] {
        counts.withLock { $0 }
    }

    /// Sum of all recorded outcomes.
    public var total: Int {
        counts.withLock { $0.values.reduce(0, +) }
    }
}
