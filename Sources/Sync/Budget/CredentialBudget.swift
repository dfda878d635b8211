import Foundation
import Synchronization

/// What the planner did with one credential's rate limit in one cycle: the budget gauges on /metrics.
public struct CredentialBudget: Sendable, Hashable, Codable {
    /// The `credential` label.
    public var credential: String
    /// `core` limit, remaining and reset at the start of the cycle (nil when GitHub does not report them).
    public var limit: Int?
    public var remainingAtStart: Int?
    public var reset: Date?
    /// Points the planner leaves unspent.
    public var reserve: Int
    /// Points the plan expected to spend this cycle (the jobs that fit the budget at the start).
    public var planned: Int = 0
    /// Points spent (every answered request but a 304).
    public var spent: Int = 0
    /// Repositories not started, or stopped at the reserve, for lack of budget.
    public var waiting: Int = 0
    /// Repositories by history coverage after the cycle: `complete`, `partial`, `none`.
    public var coverage: [String: Int] = [:]
    /// Seconds until every repository of this credential is complete back to `since`, at this budget
    /// (0: complete; nil: not known yet).
    public var estimatedCompletion: TimeInterval?

    public init(credential: String, reserve: Int) {
        self.credential = credential
        self.reserve = reserve
    }
}

/// What the planner learns across cycles: the points a shallow first pass and a deepening take on average, and
/// the length of each credential's rate-limit window (GitHub's is an hour; the simulator's can be shorter).
public final class PlannerStatistics: Sendable {
    struct State {
        var shallow = (sum: 0, count: 0)
        var deepen = (sum: 0, count: 0)
        var resets: [String: Date] = [:]
        var windows: [String: TimeInterval] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    var meanShallow: Int? { state.withLock { $0.shallow.count > 0 ? max(1, $0.shallow.sum / $0.shallow.count) : nil } }
    var meanDeepen: Int? { state.withLock { $0.deepen.count > 0 ? max(1, $0.deepen.sum / $0.deepen.count) : nil } }

    func recordShallow(points: Int) { state.withLock { $0.shallow = ($0.shallow.sum + points, $0.shallow.count + 1) } }
    func recordDeepen(points: Int) { state.withLock { $0.deepen = ($0.deepen.sum + points, $0.deepen.count + 1) } }

    /// Notes a credential's reset; when it moved on by at most an hour, that is the window's length.
    func observe(credential: String, reset: Date) {
        state.withLock { state in
            if let previous = state.resets[credential], reset > previous {
                let length = reset.timeIntervalSince(previous)
                if length <= 3600 { state.windows[credential] = max(length, state.windows[credential] ?? 0) }
            }
            state.resets[credential] = reset
        }
    }

    func window(_ credential: String) -> TimeInterval { state.withLock { $0.windows[credential] ?? 3600 } }

    /// What was learned, as kept in the store (`PlannerState`).
    struct Saved: Codable, Hashable {
        var shallowSum = 0
        var shallowCount = 0
        var deepenSum = 0
        var deepenCount = 0
        var resets: [String: Date] = [:]
        var windows: [String: TimeInterval] = [:]
    }

    var saved: Saved {
        state.withLock {
            Saved(
                shallowSum: $0.shallow.sum, shallowCount: $0.shallow.count, deepenSum: $0.deepen.sum,
                deepenCount: $0.deepen.count, resets: $0.resets, windows: $0.windows)
        }
    }

    func restore(_ saved: Saved) {
        state.withLock {
            $0.shallow = (saved.shallowSum, saved.shallowCount)
            $0.deepen = (saved.deepenSum, saved.deepenCount)
            $0.resets = saved.resets
            $0.windows = saved.windows
        }
    }
}
