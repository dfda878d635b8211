import Synchronization

/// The receiver's counters, queue depth and delivery-to-snapshot histogram, updated as deliveries arrive and
/// read for `/metrics` (see docs/metrics.md, `devops_twin_webhook_*`). Every label comes from a fixed list or
/// from the configuration, so a flood of forged deliveries cannot grow it.
public final class WebhookStatistics: Sendable {
    /// A cumulative histogram: counts per upper bound (the last bound is +Inf), sum and count.
    public struct Histogram: Sendable, Hashable {
        public var bounds: [Double]
        /// Cumulative: `counts[i]` observations were at most `bounds[i]`.
        public var counts: [Int]
        public var sum: Double = 0
        public var count: Int = 0

        public init(bounds: [Double]) {
            self.bounds = bounds
            self.counts = Array(repeating: 0, count: bounds.count)
        }

        public mutating func observe(_ value: Double) {
            for index in bounds.indices where value <= bounds[index] { counts[index] += 1 }
            sum += value
            count += 1
        }
    }

    /// What `/metrics` shows.
    public struct Snapshot: Sendable, Hashable {
        /// By event label, then result.
        public var deliveries: [WebhookEvent: [DeliveryResult: Int]] = [:]
        public var signatureFailures: [WebhookSignature.Failure: Int] = [:]
        /// Accepted deliveries by configured repository (for "webhooks silent while the repository is active").
        public var acceptedByRepository: [String: Int] = [:]
        public var queueDepth = 0
        /// Deliveries forwarded to the shard owning their repository, by result.
        public var forwarded: [ForwardResult: Int] = [:]
        public var deliveryToSnapshot = Histogram(bounds: WebhookStatistics.latencyBounds)
    }

    /// Seconds from a delivery's arrival to the refreshed snapshot: up to a minute (a slow sync behind a burst).
    public static let latencyBounds: [Double] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, .infinity]

    private let state = Mutex(Snapshot())

    public init() {}

    public func record(_ event: WebhookEvent, _ result: DeliveryResult) {
        state.withLock { $0.deliveries[event, default: [:]][result, default: 0] += 1 }
    }

    /// Counts a refused signature; returns how many have been refused in all.
    @discardableResult
    public func recordSignatureFailure(_ failure: WebhookSignature.Failure) -> Int {
        state.withLock {
            $0.signatureFailures[failure, default: 0] += 1
            return $0.signatureFailures.values.reduce(0, +)
        }
    }

    public func recordAccepted(repository: String) {
        state.withLock { $0.acceptedByRepository[repository, default: 0] += 1 }
    }

    /// Counts a forwarded delivery's result; returns how many have had that result in all.
    @discardableResult
    public func recordForwarded(_ result: ForwardResult) -> Int {
        state.withLock {
            $0.forwarded[result, default: 0] += 1
            return $0.forwarded[result, default: 0]
        }
    }

    public func setQueueDepth(_ depth: Int) {
        state.withLock { $0.queueDepth = depth }
    }

    public func observeDeliveryToSnapshot(seconds: Double) {
        state.withLock { $0.deliveryToSnapshot.observe(seconds) }
    }

    public var snapshot: Snapshot { state.withLock { $0 } }
}
