import Dora
import Foundation
import GitHubAPI
import TwinConfig
import TwinStore

/// Plans and runs one credential's share of a cycle within its rate limit.
///
/// - The budget is the credential's `core` remaining (asked with the free `GET /rate_limit`) less the reserve.
/// - Order: first passes (shallow) of repositories with no history, those already begun first; then the others
///   by staleness (oldest last success first); then, in a second phase, deepening passes of partially covered
///   repositories, stalest first. So every repository gets numbers before any history is deepened, and a
///   repository left waiting is first in the next cycle.
/// - A job starts only while budget is left; every job stops cleanly at the reserve (outcome `rate_limited`,
///   its cursors kept), and the next cycle after the reset resumes it: no error storm, nobody starved.
struct SyncPlanner {
    let engine: SyncEngine
    let credential: String
    let client: GitHubClient

    struct Candidate {
        var index: Int
        var settings: RepositorySettings
        var coverage: HistoryCoverage
        var lastSuccess: Date?
        var lastAttempt: Date?
    }

    func run(_ share: [(Int, RepositorySettings)]) async -> ([(Int, RepositorySyncResult)], CredentialBudget) {
        let configuration = engine.configuration
        var budget = CredentialBudget(credential: credential, reserve: configuration.sync.budgetReserve)
        let status = try? await client.currentRateLimit()
        var floor: Int?
        if let status {
            budget.limit = status.limit
            budget.remainingAtStart = status.remaining
            budget.reset = status.reset
            // The reserve, but never more than a tenth of the limit (an unauthenticated 60/h must still sync).
            floor = min(configuration.sync.budgetReserve, status.limit / 10)
            engine.statistics.observe(credential: credential, reset: status.reset)
        }
        let candidates = share.map { index, settings in
            let health = try? engine.store.syncHealth(settings.name)
            return Candidate(
                index: index, settings: settings, coverage: (try? engine.store.historyCoverage(repository: settings.name)) ?? .none,
                lastSuccess: health?.lastSuccessAt, lastAttempt: health?.lastAttemptAt)
        }
        let shallowEstimate = engine.statistics.meanShallow ?? 10
        let deepenEstimate = engine.statistics.meanDeepen ?? 50

        // Phase 1: first passes (begun ones first), then the rest by staleness.
        let firsts = candidates.filter { $0.coverage == .none }.sorted { a, b in
            switch (a.lastAttempt, b.lastAttempt) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a.index < b.index
            }
        }
        let others = candidates.filter { $0.coverage != .none }.sorted { a, b in
            (a.lastSuccess ?? .distantPast, a.index) < (b.lastSuccess ?? .distantPast, b.index)
        }
        let phase1 = firsts + others
        var available = status.map { $0.remaining - (floor ?? 0) } ?? Int.max
        for candidate in phase1 {
            let estimate = candidate.coverage == .none ? shallowEstimate : 1
            guard available >= estimate else { break }
            budget.planned += estimate
            available -= estimate
        }
        var results: [Int: RepositorySyncResult] = [:]
        for (index, result) in await runPhase(phase1, deepenOnly: false, floor: floor, budget: &budget) {
            results[index] = result
            let firstPass = candidates.first { $0.index == index }?.coverage == HistoryCoverage.none
            if firstPass, result.outcome == .success { engine.statistics.recordShallow(points: result.points) }
        }

        // Phase 2: deepen what is partial, stalest first, while budget is left.
        let partial = phase1.filter { results[$0.index]?.outcome == .success }.compactMap { candidate -> Candidate? in
            var candidate = candidate
            candidate.coverage = (try? engine.store.historyCoverage(repository: candidate.settings.name)) ?? .none
            if case .partial = candidate.coverage { return candidate }
            return nil
        }
        for candidate in partial where available >= deepenEstimate {
            _ = candidate
            budget.planned += deepenEstimate
            available -= deepenEstimate
        }
        for (index, result) in await runPhase(partial, deepenOnly: true, floor: floor, budget: &budget) {
            if result.outcome == .success,
                (try? engine.store.historyCoverage(repository: result.repository)) == .complete
            {
                engine.statistics.recordDeepen(points: result.points)
            }
            results[index] = results[index].map { $0.merged(with: result) } ?? result
        }

        // Coverage after the cycle, and how long the rest will take at this budget.
        var remainingPoints = 0
        for candidate in candidates {
            let coverage = (try? engine.store.historyCoverage(repository: candidate.settings.name)) ?? .none
            budget.coverage[coverage.name, default: 0] += 1
            switch coverage {
            case .none: remainingPoints += (engine.statistics.meanShallow ?? shallowEstimate) + (engine.statistics.meanDeepen ?? deepenEstimate)
            case .partial: remainingPoints += engine.statistics.meanDeepen ?? deepenEstimate
            case .complete: break
            }
        }
        if remainingPoints == 0 {
            budget.estimatedCompletion = 0
        } else if let status, let floor {
            let perWindow = Double(max(1, status.limit - floor))
            let left = Double(max(0, (client.lastRateLimit?.remaining ?? status.remaining) - floor))
            let untilReset = max(0, status.reset.timeIntervalSince(engine.now()))
            let beyond = max(0, Double(remainingPoints) - left)
            budget.estimatedCompletion = beyond == 0 ? 0 : untilReset + (beyond / perWindow).rounded(.up).advanced(by: -1) * engine.statistics.window(credential)
        }
        let ordered = share.compactMap { index, _ in results[index].map { (index, $0) } }
        return (ordered, budget)
    }

    /// Runs `candidates` in order, at most `sync.concurrency` at once; a candidate starts only while budget is
    /// left, the others wait for the next cycle (counted, not run).
    private func runPhase(
        _ candidates: [Candidate], deepenOnly: Bool, floor: Int?, budget: inout CredentialBudget
    ) async -> [(Int, RepositorySyncResult)] {
        let limit = max(1, engine.configuration.sync.concurrency)
        var finished: [(Int, RepositorySyncResult)] = []
        var waiting = 0
        var exhausted = false
        await withTaskGroup(of: (Int, RepositorySyncResult).self) { group in
            var next = 0
            var running = 0
            func hasBudget() -> Bool {
                guard let floor, let status = client.lastRateLimit, status.reset > engine.now() else { return true }
                return status.remaining > floor
            }
            while next < candidates.count || running > 0 {
                while running < limit, next < candidates.count {
                    if exhausted || !hasBudget() {
                        exhausted = true
                        waiting += candidates.count - next
                        next = candidates.count
                        break
                    }
                    let candidate = candidates[next]
                    next += 1
                    running += 1
                    group.addTask { (candidate.index, await engine.runJob(candidate.settings, deepenOnly: deepenOnly, budgetFloor: floor)) }
                }
                guard let result = await group.next() else { break }
                running -= 1
                finished.append(result)
                budget.spent += result.1.points
                if result.1.outcome == .rateLimited {
                    waiting += 1
                    exhausted = true
                }
            }
        }
        budget.waiting += waiting
        return finished
    }
}
