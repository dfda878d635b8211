import Backoff
import Logging
import ServiceLifecycle
import Synchronization

/// Sends deliveries on to the shard that owns their repository, as a `Service`: `forward` returns at once (GitHub
/// gets its answer without waiting for the owner); each delivery is then sent, and while its owner cannot be reached
/// (restarting, rescheduled) retried with exponential backoff. The queue is bounded in deliveries and bytes; what
/// does not fit, or runs out of retries, is dropped and counted as `failed`: the owner's next scheduled sync (the
/// reconciliation) brings the change, as for a delivery GitHub itself failed to make.
public final class DeliveryForwarder: Service, Sendable {
    /// What one attempt to hand a delivery to its owner came to.
    public enum Outcome: Sendable, Hashable {
        /// The owner answered 2xx (accepted, duplicate, ignored: it has decided).
        case delivered
        /// The owner answered 4xx (a signature it refuses, a body over its limit): retrying cannot help.
        case refused(status: Int)
        /// No answer (connection refused, name not resolved, timeout) or 5xx: the owner may be back soon.
        case unreachable(reason: String)
    }

    /// Sends one delivery to its owner; must carry a deadline of its own.
    public typealias Transport = @Sendable (ForwardedDelivery) async -> Outcome
    /// Waits between retries (tests inject one that does not sleep).
    public typealias Sleep = @Sendable (Duration) async throws -> Void

    /// About 9 minutes of retries (0.5 s doubling to 30 s, 20 retries): a pod restart or reschedule is covered.
    public static let defaultBackoff = BackoffPolicy(initial: .milliseconds(500), maximum: .seconds(30), maxRetries: 20)
    public static let defaultCapacity = 1_000
    public static let defaultMaxBytes = 64 * 1_048_576

    public let capacity: Int
    public let maxBytes: Int
    let backoff: BackoffPolicy
    let transport: Transport
    let sleep: Sleep
    let statistics: WebhookStatistics
    let logger: Logger
    private let pending = Mutex((count: 0, bytes: 0))
    private let stream: AsyncStream<ForwardedDelivery>
    private let continuation: AsyncStream<ForwardedDelivery>.Continuation

    public init(
        transport: @escaping Transport, statistics: WebhookStatistics, logger: Logger, backoff: BackoffPolicy = defaultBackoff,
        capacity: Int = defaultCapacity, maxBytes: Int = defaultMaxBytes, sleep: @escaping Sleep = { try await Task.sleep(for: $0) }
    ) {
        self.transport = transport
        self.statistics = statistics
        self.logger = logger
        self.backoff = backoff
        self.capacity = max(1, capacity)
        self.maxBytes = max(1, maxBytes)
        self.sleep = sleep
        (stream, continuation) = AsyncStream.makeStream(of: ForwardedDelivery.self)
    }

    /// Deliveries waiting to be sent or retried.
    public var depth: Int { pending.withLock { $0.count } }

    /// Queues `delivery` for its owner; false (counted `failed`) when the queue is full.
    @discardableResult
    public func forward(_ delivery: ForwardedDelivery) -> Bool {
        let (capacity, maxBytes) = (self.capacity, self.maxBytes)
        let admitted = pending.withLock { pending in
            guard pending.count < capacity, pending.bytes + delivery.body.count <= maxBytes else { return false }
            pending.count += 1
            pending.bytes += delivery.body.count
            return true
        }
        guard admitted else {
            let failed = statistics.recordForwarded(.failed)
            let metadata: Logger.Metadata = ["shard": "\(delivery.shard)", "delivery": "\(delivery.delivery)", "failedSoFar": "\(failed)"]
            if failed == 1 || failed % 1000 == 0 {
                logger.warning("webhook forwarding queue full; delivery dropped (the scheduled sync brings its change)", metadata: metadata)
            }
            return false
        }
        continuation.yield(delivery)
        return true
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for await delivery in self.stream {
                    group.addTask { await self.send(delivery) }
                }
            }
        }
    }

    /// Ends the forwarder: `run` returns once the deliveries in flight are done.
    public func finish() { continuation.finish() }

    /// One delivery: sent, retried while its owner is unreachable, counted once as `ok` or `failed` (and as
    /// `queued` when it had to wait).
    func send(_ delivery: ForwardedDelivery) async {
        defer { pending.withLock { $0.count -= 1; $0.bytes -= delivery.body.count } }
        let metadata: Logger.Metadata = ["shard": "\(delivery.shard)", "delivery": "\(delivery.delivery)"]
        var retries = 0
        while true {
            switch await transport(delivery) {
            case .delivered:
                statistics.recordForwarded(.ok)
                logger.debug("webhook delivery forwarded", metadata: metadata.merging(["retries": "\(retries)"]) { $1 })
                return
            case .refused(let status):
                statistics.recordForwarded(.failed)
                logger.warning(
                    "webhook delivery refused by the shard it was forwarded to (same secret and maxBodyBytes on every shard?)",
                    metadata: metadata.merging(["status": "\(status)"]) { $1 })
                return
            case .unreachable(let reason):
                guard backoff.allows(retry: retries) else {
                    statistics.recordForwarded(.failed)
                    logger.warning(
                        "webhook delivery not forwarded: its shard stayed unreachable (the scheduled sync brings its change)",
                        metadata: metadata.merging(["reason": "\(reason)", "retries": "\(retries)"]) { $1 })
                    return
                }
                if retries == 0 {
                    statistics.recordForwarded(.queued)
                    logger.info("webhook delivery's shard unreachable; retrying", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
                }
                retries += 1
                do {
                    try await sleep(backoff.delay(retry: retries))
                } catch {
                    statistics.recordForwarded(.failed)
                    return
                }
            }
        }
    }
}
