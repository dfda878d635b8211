/// One sync of a repository at a time, whoever starts it: the scheduled cycle and webhook-triggered syncs
/// share one `RepositoryLocks` (through their `SyncEngine`), so two syncs never advance the same cursors at
/// once. Waiters are served in arrival order.
public actor RepositoryLocks {
    private var held: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    public init() {}

    /// Runs `body` while holding the lock of `repository` (case-insensitive, as GitHub names are). The body runs
    /// in the caller's context, not on the actor: only taking and giving back the lock are.
    public nonisolated func withLock<T>(_ repository: String, _ body: () async -> T) async -> T {
        let key = repository.lowercased()
        await acquire(key)
        let result = await body()
        await release(key)
        return result
    }

    /// Whether a sync of `repository` runs now (tests, status).
    public func isHeld(_ repository: String) -> Bool { held.contains(repository.lowercased()) }

    private func acquire(_ key: String) async {
        if held.insert(key).inserted { return }
        await withCheckedContinuation { waiters[key, default: []].append($0) }
    }

    private func release(_ key: String) {
        if var queue = waiters[key], !queue.isEmpty {
            // Hand the lock straight to the next waiter: it stays held.
            let next = queue.removeFirst()
            waiters[key] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            held.remove(key)
        }
    }
}
