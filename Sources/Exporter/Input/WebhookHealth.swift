import Foundation

/// The webhook receiver's counters for `/metrics`. Pass nil to the builder when webhooks are off: the
/// `devops_twin_webhook_*` families are then absent.
public struct WebhookHealth: Sendable, Hashable {
    /// Deliveries by `event` and `result` (see docs/metrics.md for the values).
    public var deliveries: [Delivery]
    /// Refused signatures by reason (`missing`, `wrong_algorithm`, `malformed`, `mismatch`; all always exported).
    public var signatureFailures: [String: Int]
    /// Accepted deliveries by configured repository (every configured repository exported, 0 before the first).
    public var acceptedByRepository: [String: Int]
    /// Pending (repository, entity) targeted syncs.
    public var queueDepth: Int
    /// Seconds from a delivery's arrival to the refreshed snapshot.
    public var deliveryToSnapshot: HistogramValue
    /// Deliveries forwarded to the shard owning their repository, by result (`ok`, `queued`, `failed`; all always
    /// exported).
    public var forwarded: [String: Int]

    public struct Delivery: Sendable, Hashable {
        public var event: String
        public var result: String
        public var count: Int

        public init(event: String, result: String, count: Int) {
            self.event = event
            self.result = result
            self.count = count
        }
    }

    public init(
        deliveries: [Delivery], signatureFailures: [String: Int], acceptedByRepository: [String: Int], queueDepth: Int,
        deliveryToSnapshot: HistogramValue, forwarded: [String: Int] = [:]
    ) {
        self.deliveries = deliveries
        self.signatureFailures = signatureFailures
        self.acceptedByRepository = acceptedByRepository
        self.queueDepth = queueDepth
        self.deliveryToSnapshot = deliveryToSnapshot
        self.forwarded = forwarded
    }

    /// The reasons always exported for signature failures.
    public static let knownSignatureFailures = ["missing", "wrong_algorithm", "malformed", "mismatch"]
    /// The results always exported for forwarded deliveries.
    public static let knownForwardResults = ["ok", "queued", "failed"]
}

/// A cumulative histogram as Prometheus exposes it: per upper bound (`le`, the last +Inf) the observations at
/// most that bound, their sum and count.
public struct HistogramValue: Sendable, Hashable {
    public var bounds: [Double]
    public var cumulativeCounts: [Int]
    public var sum: Double
    public var count: Int

    public init(bounds: [Double], cumulativeCounts: [Int], sum: Double, count: Int) {
        self.bounds = bounds
        self.cumulativeCounts = cumulativeCounts
        self.sum = sum
        self.count = count
    }
}
