import Foundation
import Synchronization

/// A simulated GitHub REST API: repositories, authentication, primary rate limit with conditional-request
/// accounting, injected faults and a request log. Serve it with ``GitHubSimulatorServer`` or
/// ``GitHubSimulatorService``.
public final class SimulatedGitHub: Sendable {
    struct Entry {
        var repository: SimulatedRepository
        var index: RepositoryIndex?
        var version: Int
    }

    struct FaultSlot {
        var fault: SimulatedFault
        var matched: Int
    }

    struct State {
        var repositories: [String: Entry] = [:]
        var redirects: [String: String] = [:]
        var faults: [FaultSlot] = []
        var log: [SimulatedRequest] = []
        var used = 0
        var resetAt: Date
        var version = 0
    }

    let requiredToken: String?
    let rateLimit: Int
    let rateLimitWindow: TimeInterval
    let clock: @Sendable () -> Date
    let state: Mutex<State>

    /// Creates a simulated GitHub serving `repositories`.
    /// - Parameters:
    ///   - requiredToken: when set, requests must send `Authorization: Bearer <token>` (or `token <token>`), else 401.
    ///   - rateLimit: requests per window of the primary (`core`) rate limit.
    ///   - rateLimitWindow: seconds after which the primary limit resets (GitHub: one hour).
    ///   - clock: the simulator's notion of now (rate-limit windows, request log).
    public init(
        repositories: [SimulatedRepository], requiredToken: String? = nil, rateLimit: Int = 5000,
        rateLimitWindow: TimeInterval = 3600, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.requiredToken = requiredToken
        self.rateLimit = rateLimit
        self.rateLimitWindow = rateLimitWindow
        self.clock = clock
        var initial = State(resetAt: clock().addingTimeInterval(rateLimitWindow))
        for repository in repositories {
            initial.version += 1
            initial.repositories[repository.fullName.lowercased()] = Entry(repository: repository, index: nil, version: initial.version)
        }
        self.state = Mutex(initial)
    }

    /// The repository currently served under `fullName` ("owner/name", case-insensitive), if any.
    public func repository(_ fullName: String) -> SimulatedRepository? {
        state.withLock { $0.repositories[fullName.lowercased()]?.repository }
    }

    /// Adds or replaces a repository.
    public func add(_ repository: SimulatedRepository) {
        state.withLock { state in
            state.version += 1
            let key = repository.fullName.lowercased()
            state.redirects[key] = nil
            state.repositories[key] = Entry(repository: repository, index: nil, version: state.version)
        }
    }

    /// Changes a repository in place (new commits, a force-push, closed issues...); later requests see the change.
    public func update(_ fullName: String, _ body: (inout SimulatedRepository) -> Void) {
        state.withLock { state in
            let key = fullName.lowercased()
            guard var entry = state.repositories[key] else { return }
            body(&entry.repository)
            state.version += 1
            entry.index = nil
            entry.version = state.version
            state.repositories[key] = entry
        }
    }

    /// Renames (or transfers) a repository; the old name answers 301 with the new location.
    public func rename(_ fullName: String, to newFullName: String) {
        state.withLock { state in
            let oldKey = fullName.lowercased()
            let newKey = newFullName.lowercased()
            guard oldKey != newKey, var entry = state.repositories.removeValue(forKey: oldKey) else { return }
            let parts = newFullName.split(separator: "/", maxSplits: 1).map(String.init)
            entry.repository.owner = parts.first ?? entry.repository.owner
            entry.repository.name = parts.count > 1 ? parts[1] : entry.repository.name
            state.version += 1
            entry.index = nil
            entry.version = state.version
            state.repositories[newKey] = entry
            state.redirects[newKey] = nil
            for (old, target) in state.redirects where target.lowercased() == oldKey {
                state.redirects[old] = entry.repository.fullName
            }
            state.redirects[oldKey] = entry.repository.fullName
        }
    }

    /// Removes a repository; requests for it answer 404 afterwards.
    public func delete(_ fullName: String) {
        state.withLock { state in
            let key = fullName.lowercased()
            state.repositories[key] = nil
            state.redirects[key] = nil
            state.redirects = state.redirects.filter { $0.value.lowercased() != key }
        }
    }

    /// Adds a fault; faults are checked in the order they were added.
    public func inject(_ fault: SimulatedFault) {
        state.withLock { $0.faults.append(FaultSlot(fault: fault, matched: 0)) }
    }

    /// Removes every fault.
    public func clearFaults() {
        state.withLock { $0.faults.removeAll() }
    }

    /// Every API request received so far, oldest first.
    public var requestLog: [SimulatedRequest] {
        state.withLock { $0.log }
    }

    /// Empties the request log.
    public func clearRequestLog() {
        state.withLock { $0.log.removeAll() }
    }

    /// Requests left in the current primary rate-limit window.
    public var rateLimitRemaining: Int {
        let now = clock()
        return state.withLock { state in
            refill(&state, now: now)
            return max(0, rateLimit - state.used)
        }
    }

    /// When the current primary rate-limit window resets.
    public var rateLimitReset: Date {
        let now = clock()
        return state.withLock { state in
            refill(&state, now: now)
            return state.resetAt
        }
    }

    /// Starts a fresh primary rate-limit window now.
    public func resetRateLimit() {
        let now = clock()
        state.withLock { state in
            state.used = 0
            state.resetAt = now.addingTimeInterval(rateLimitWindow)
        }
    }

    func refill(_ state: inout State, now: Date) {
        if now >= state.resetAt {
            state.used = 0
            state.resetAt = now.addingTimeInterval(rateLimitWindow)
        }
    }

    /// The repository and its index; the index is built outside the lock on first use after a change.
    func indexed(_ key: String) -> RepositoryIndex? {
        let found: (Entry)? = state.withLock { $0.repositories[key] }
        guard let entry = found else { return nil }
        if let index = entry.index { return index }
        let index = RepositoryIndex(entry.repository)
        state.withLock { state in
            if state.repositories[key]?.version == entry.version {
                state.repositories[key]?.index = index
            }
        }
        return index
    }
}
