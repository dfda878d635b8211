import Synchronization
import Sync

/// The last cycle's budget per credential, for the snapshot (the planner's gauges).
final class BudgetStatus: Sendable {
    private let state = Mutex<[CredentialBudget]>([])

    var budgets: [CredentialBudget] { state.withLock { $0 } }

    func set(_ budgets: [CredentialBudget]) {
        guard !budgets.isEmpty else { return }
        state.withLock { $0 = budgets }
    }
}
