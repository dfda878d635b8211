import Backoff
import Foundation

/// When the next sync is due: the daemon's scheduling policy, pure so it is tested without a clock.
///
/// - The first sync starts at once unless the store shows a recent successful one; then it waits until
///   that one's next due time (as the prototype did).
/// - After a success the next sync is one interval later.
/// - After a failure it is retried at the next interval, backing off (doubling) on consecutive failures up
///   to `maximumBackoff`.
/// - After a `rate_limited` stop it waits at least until GitHub's reset.
public struct SyncSchedule: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case success
        case failed
        case rateLimited(resetAt: Date?)
        case cancelled
    }

    public var interval: TimeInterval
    public var maximumBackoff: TimeInterval

    public init(interval: TimeInterval, maximumBackoff: TimeInterval? = nil) {
        self.interval = interval
        self.maximumBackoff = maximumBackoff ?? max(interval, min(interval * 8, 6 * 3600))
    }

    /// Seconds to wait before the first sync of this process.
    public func initialDelay(lastSuccess: Date?, now: Date) -> TimeInterval {
        guard let lastSuccess else { return 0 }
        return min(interval, max(0, lastSuccess.addingTimeInterval(interval).timeIntervalSince(now)))
    }

    /// Seconds to wait after a cycle, given how it ended and how many cycles in a row have failed (this one included).
    public func delay(after outcome: Outcome, consecutiveFailures: Int, now: Date) -> TimeInterval {
        switch outcome {
        case .success, .cancelled:
            return interval
        case .failed:
            let backoff = BackoffPolicy(initial: .seconds(interval), maximum: .seconds(maximumBackoff), maxRetries: .max)
            let (seconds, attoseconds) = backoff.delay(retry: max(1, consecutiveFailures)).components
            return Double(seconds) + Double(attoseconds) / 1e18
        case .rateLimited(let resetAt):
            let untilReset = resetAt.map { $0.timeIntervalSince(now) + 1 } ?? 0
            return max(interval, untilReset)
        }
    }
}
