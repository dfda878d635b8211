import Foundation
import Synchronization

/// Publishes the numbers of repositories as their syncs end, during a cycle: finished repositories are
/// collected and refreshed together, at most one refresh at a time, so a burst of completions costs one
/// partial refresh, never one per repository of the organisation.
final class PartialRefresh: Sendable {
    private struct State {
        var pending: Set<String> = []
        var worker: Task<Void, Never>?
        var stopped = false
    }

    private let refresher: SnapshotRefresh
    private let state = Mutex(State())

    init(refresher: SnapshotRefresh) {
        self.refresher = refresher
    }

    /// A repository's sync ended: its numbers are published with the next partial refresh.
    func finished(_ repository: String) {
        state.withLock { state in
            guard !state.stopped else { return }
            state.pending.insert(repository)
            guard state.worker == nil else { return }
            state.worker = Task { [self] in drain() }
        }
    }

    /// Refreshes until nothing is pending (what finishes meanwhile joins the next round).
    private func drain() {
        while true {
            let batch: Set<String>? = state.withLock { state in
                guard !state.pending.isEmpty, !state.stopped else {
                    state.worker = nil
                    return nil
                }
                defer { state.pending = [] }
                return state.pending
            }
            guard let batch else { return }
            refresher.refresh(changed: batch)
        }
    }

    /// Waits for a refresh in progress; nothing more is published (the cycle's full refresh follows).
    func stop() async {
        let worker = state.withLock { state -> Task<Void, Never>? in
            state.stopped = true
            return state.worker
        }
        await worker?.value
    }
}
