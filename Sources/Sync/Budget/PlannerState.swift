import Foundation
import TwinStore

/// The planner's state in the store (`planner_state`): each credential's budget after the last cycle and what the
/// planner learned, so a restarted daemon serves the budget gauges and the completion estimate at once (before its
/// first cycle ends) and plans its first cycle with the estimates of the last.
public enum PlannerState {
    static let budgetPrefix = "budget/"
    static let statisticsKey = "statistics"

    /// Saves a cycle's budgets (replacing those of credentials no longer in use) and the statistics.
    public static func save(
        budgets: [CredentialBudget], statistics: PlannerStatistics, store: TwinStore, now: Date
    ) throws(TwinStoreError) {
        guard !budgets.isEmpty else { return }
        var entries = [statisticsKey: CursorCoding.encode(statistics.saved)]
        for budget in budgets { entries[budgetPrefix + budget.credential] = CursorCoding.encode(budget) }
        try store.savePlannerState(entries, replacingPrefix: budgetPrefix, now: now)
    }

    /// The budgets of the last cycle as they stand at `now`: the completion estimate less the time since it was
    /// made (never below 0). Empty when the store has none (or cannot be read).
    public static func budgets(in store: TwinStore, now: Date) -> [CredentialBudget] {
        guard let entries = try? store.plannerState() else { return [] }
        return entries.filter { $0.key.hasPrefix(budgetPrefix) }.sorted { $0.key < $1.key }.compactMap { _, entry in
            guard var budget = CursorCoding.decode(CredentialBudget.self, entry.value) else { return nil }
            budget.estimatedCompletion = budget.estimatedCompletion.map { max(0, $0 - max(0, now.timeIntervalSince(entry.savedAt))) }
            return budget
        }
    }

    /// Gives `statistics` what the planner had learned before a restart (nothing when the store has none).
    public static func restore(_ statistics: PlannerStatistics, from store: TwinStore) {
        guard let value = (try? store.plannerState())?[statisticsKey]?.value,
            let saved = CursorCoding.decode(PlannerStatistics.Saved.self, value)
        else { return }
        statistics.restore(saved)
    }
}
