import Foundation

/// One credential's budget in the last sync cycle, as the planner saw and spent it.
public struct SyncBudgetReading: Sendable, Hashable {
    /// The `credential` label.
    public var credential: String
    /// Points of the rate limit the planner leaves unspent.
    public var reserve: Int
    /// Points the plan expected to spend in the cycle.
    public var planned: Int
    /// Points spent in the cycle (answered requests but 304s).
    public var spent: Int
    /// Repositories that waited for budget (not started, or stopped at the reserve).
    public var waiting: Int
    /// Repositories by history coverage: `complete`, `partial`, `none`.
    public var coverage: [String: Int]
    /// Seconds until every repository is complete back to `since` at this budget (nil: not known yet).
    public var estimatedCompletion: TimeInterval?

    public init(
        credential: String, reserve: Int, planned: Int, spent: Int, waiting: Int, coverage: [String: Int],
        estimatedCompletion: TimeInterval?
    ) {
        self.credential = credential
        self.reserve = reserve
        self.planned = planned
        self.spent = spent
        self.waiting = waiting
        self.coverage = coverage
        self.estimatedCompletion = estimatedCompletion
    }
}
