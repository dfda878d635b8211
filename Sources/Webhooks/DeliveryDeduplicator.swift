import Synchronization

/// Remembers the last `capacity` delivery ids (`X-GitHub-Delivery`): GitHub redelivers on a timeout or on
/// request with the same id, and a redelivery must not be acted on twice. Bounded: the oldest id is forgotten
/// first, so memory stays fixed whatever arrives.
public final class DeliveryDeduplicator: Sendable {
    private struct State {
        var seen: Set<String> = []
        var order: [String] = []
        var next = 0
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// True the first time `id` is offered (and remembers it); false for a repeat.
    public func isFirst(_ id: String) -> Bool {
        let capacity = self.capacity
        return state.withLock { state in
            guard !state.seen.contains(id) else { return false }
            if state.order.count < capacity {
                state.order.append(id)
            } else {
                state.seen.remove(state.order[state.next])
                state.order[state.next] = id
                state.next = (state.next + 1) % capacity
            }
            state.seen.insert(id)
            return true
        }
    }

    /// Forgets `id`, so that a redelivery is acted on (used when the work could not be queued).
    public func forget(_ id: String) {
        state.withLock { _ = $0.seen.remove(id) }
    }
}
