/// How long to wait before each retry: `initial`, doubled per retry, capped at `maximum`, for at most
/// `maxRetries` retries. The one backoff of the GitHub and Neo4j clients and of the daemon's schedule.
public struct BackoffPolicy: Sendable, Hashable {
    /// The wait before the first retry.
    public var initial: Duration
    /// No wait is longer; a cap below `initial` is raised to it.
    public var maximum: Duration
    /// Retries after the first attempt.
    public var maxRetries: Int

    public init(initial: Duration, maximum: Duration, maxRetries: Int) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        self.maxRetries = maxRetries
    }

    /// The wait before retry number `retry` (1 is the first): `initial * 2^(retry-1)`, capped at `maximum`.
    public func delay(retry: Int) -> Duration {
        var value = initial
        for _ in 0..<max(0, retry - 1) {
            if value >= maximum { break }
            value = value * 2
        }
        return min(value, maximum)
    }

    /// True while another retry is allowed after `retries` retries.
    public func allows(retry retries: Int) -> Bool { retries < maxRetries }

    /// Runs `attempt`; an error `isTransient` accepts is retried after `wait(delay, retry, error)`, up to
    /// `maxRetries` times. `wait` sleeps (injected in tests) and throws to stop, for example on cancellation.
    public func run<Value, Failure: Error>(
        _ attempt: () async throws(Failure) -> Value,
        isTransient: (Failure) -> Bool,
        wait: (Duration, Int, Failure) async throws(Failure) -> Void
    ) async throws(Failure) -> Value {
        var retries = 0
        while true {
            do {
                return try await attempt()
            } catch {
                guard isTransient(error), allows(retry: retries) else { throw error }
                retries += 1
                try await wait(delay(retry: retries), retries, error)
            }
        }
    }
}
