import UnixSignals

/// SIGINT and SIGTERM for one-shot commands such as `sync` and `project`, through ServiceLifecycle's
/// `UnixSignals` (the daemon's `ServiceGroup` traps them itself): a signal cancels the operation, which stops
/// cooperatively (the sync checkpoints the page in flight) and returns what it has.
enum TerminationSignals {
    static func cancelling<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                // nil: a signal arrived, or the operation finished and this task was cancelled.
                for await _ in signals { return nil }
                return nil
            }
            while let next = try await group.next() {
                // Either way the other task is no longer needed: the operation ends cooperatively.
                group.cancelAll()
                if let value = next { return value }
            }
            throw CancellationError()
        }
    }
}
