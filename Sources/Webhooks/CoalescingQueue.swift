import Sync
import Synchronization

/// The work webhooks ask for, coalesced: one entry per configured repository holding the union of the entities
/// to sync, so 50 pushes in a second become one commits sync. Its size is bounded by the configuration
/// (repositories × entities), not by the number of deliveries. The worker takes everything pending at once.
public final class CoalescingQueue: Sendable {
    /// A repository's pending targeted sync and when each delivery asking for it arrived.
    public struct Item: Sendable, Hashable {
        public var route: WebhookRoute
        /// Arrival of the deliveries coalesced into this item (at most `maxArrivals` kept: the oldest ones).
        public var arrivals: [ContinuousClock.Instant]
    }

    private struct State {
        var order: [String] = []
        var items: [String: Item] = [:]
    }

    /// Arrival times kept per item, for the delivery-to-snapshot histogram; more deliveries still coalesce.
    public static let maxArrivals = 1_000
    private let state = Mutex(State())
    private let signal: AsyncStream<Void>.Continuation
    private let signals: AsyncStream<Void>
    private let onDepthChange: @Sendable (Int) -> Void

    /// - Parameter onDepthChange: told the number of pending (repository, entity) pairs after every change.
    public init(onDepthChange: @escaping @Sendable (Int) -> Void = { _ in }) {
        (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.onDepthChange = onDepthChange
    }

    /// Adds `route`'s entities to its repository's pending sync.
    public func enqueue(_ route: WebhookRoute, arrivedAt: ContinuousClock.Instant) {
        let depth = state.withLock { state in
            let key = route.repository.lowercased()
            if var item = state.items[key] {
                item.route.entities.formUnion(route.entities)
                if item.arrivals.count < Self.maxArrivals { item.arrivals.append(arrivedAt) }
                state.items[key] = item
            } else {
                state.order.append(key)
                state.items[key] = Item(route: route, arrivals: [arrivedAt])
            }
            return Self.depth(state)
        }
        onDepthChange(depth)
        signal.yield()
    }

    /// Pending (repository, entity) pairs.
    public var depth: Int { state.withLock { Self.depth($0) } }

    /// Waits for work, lets `window` pass so that a burst gathers, then takes everything pending (in arrival
    /// order of the repositories). Throws `CancellationError` when the task is cancelled.
    public func nextBatch(window: Duration) async throws -> [Item] {
        while true {
            let pending = state.withLock { !$0.order.isEmpty }
            if !pending {
                var iterator = signals.makeAsyncIterator()
                guard await iterator.next() != nil else { throw CancellationError() }
                try Task.checkCancellation()
            }
            if window > .zero { try await Task.sleep(for: window) }
            let items = drain()
            if !items.isEmpty { return items }
        }
    }

    /// Takes everything pending now.
    public func drain() -> [Item] {
        let items = state.withLock { state in
            let items = state.order.compactMap { state.items[$0] }
            state = State()
            return items
        }
        onDepthChange(0)
        return items
    }

    /// Ends the queue: a worker waiting in `nextBatch` stops.
    public func finish() { signal.finish() }

    private static func depth(_ state: State) -> Int {
        state.items.values.reduce(0) { $0 + $1.route.entities.count }
    }
}
