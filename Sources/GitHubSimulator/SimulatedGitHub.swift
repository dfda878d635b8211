import Foundation
import Synchronization

/// A simulated GitHub REST API: repositories and organisations, authentication (tokens, GitHub Apps), a primary
/// rate limit per credential with conditional-request accounting, injected faults and a request log. Serve it with ``GitHubSimulatorServer`` or
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

    /// One credential's primary (`core`) rate-limit window.
    struct Budget {
        var used = 0
        var resetAt: Date
    }

    /// An installation token handed out by `POST /app/installations/{id}/access_tokens`.
    struct IssuedToken {
        var installationID: Int
        var expiresAt: Date
    }

    struct State {
        var repositories: [String: Entry] = [:]
        var redirects: [String: String] = [:]
        var faults: [FaultSlot] = []
        var log: [SimulatedRequest] = []
        var budgets: [SimulatedCredential: Budget] = [:]
        var tokens: [String: IssuedToken] = [:]
        var issuedTokens = 0
        var version = 0
    }

    /// The personal access tokens accepted, `requiredToken` first; empty when any request is accepted.
    let acceptedTokens: [String]
    let apps: [SimulatedApp]
    let verifier: AppJWTVerifier
    /// The apps' installations by ID.
    let installations: [Int: InstallationRecord]
    /// How long an installation token lives (GitHub: one hour).
    let installationTokenLifetime: TimeInterval
    let requiredToken: String?
    let rateLimit: Int
    let rateLimitWindow: TimeInterval
    let clock: @Sendable () -> Date
    let state: Mutex<State>

    /// Creates a simulated GitHub serving `repositories`.
    /// - Parameters:
    ///   - requiredToken: when set, requests must send `Authorization: Bearer <token>` (or `token <token>`), else 401.
    ///   - acceptedTokens: further personal access tokens accepted besides `requiredToken` (each has its own budget).
    ///   - apps: GitHub Apps whose JWTs and installation tokens are accepted.
    ///   - installationTokenLifetime: seconds an installation token stays valid (GitHub: one hour).
    ///   - rateLimit: requests per window of the primary (`core`) rate limit, for each credential.
    ///   - rateLimitWindow: seconds after which a credential's primary limit resets (GitHub: one hour).
    ///   - clock: the simulator's notion of now (rate-limit windows, JWT and token expiry, request log).
    public init(
        repositories: [SimulatedRepository], requiredToken: String? = nil, acceptedTokens: [String] = [],
        apps: [SimulatedApp] = [], installationTokenLifetime: TimeInterval = 3600, rateLimit: Int = 5000,
        rateLimitWindow: TimeInterval = 3600, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.requiredToken = requiredToken
        var tokens = requiredToken.map { [$0] } ?? []
        for token in acceptedTokens where !tokens.contains(token) { tokens.append(token) }
        self.acceptedTokens = tokens
        self.apps = apps
        self.verifier = AppJWTVerifier(apps: apps)
        self.installations = InstallationRecord.index(apps)
        self.installationTokenLifetime = installationTokenLifetime
        self.rateLimit = rateLimit
        self.rateLimitWindow = rateLimitWindow
        self.clock = clock
        var initial = State()
        let primary: SimulatedCredential = tokens.isEmpty ? .anonymous : .token(1)
        initial.budgets[primary] = Budget(resetAt: clock().addingTimeInterval(rateLimitWindow))
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

    /// The credential the single-credential API (`rateLimitRemaining`, `rateLimitReset`) reports on: the first
    /// accepted token, or anonymous requests when no token is required.
    public var primaryCredential: SimulatedCredential {
        acceptedTokens.isEmpty ? .anonymous : .token(1)
    }

    /// Requests left in the primary credential's current rate-limit window.
    public var rateLimitRemaining: Int {
        rateLimitRemaining(credential: primaryCredential)
    }

    /// When the primary credential's current rate-limit window resets.
    public var rateLimitReset: Date {
        rateLimitReset(credential: primaryCredential)
    }

    /// Requests `credential` has left in its current window (the full limit when it has not been used yet).
    public func rateLimitRemaining(credential: SimulatedCredential) -> Int {
        let now = clock()
        return state.withLock { state in
            max(0, rateLimit - budget(&state, credential, now: now).used)
        }
    }

    /// When `credential`'s current rate-limit window resets.
    public func rateLimitReset(credential: SimulatedCredential) -> Date {
        let now = clock()
        return state.withLock { state in
            budget(&state, credential, now: now).resetAt
        }
    }

    /// Starts a fresh rate-limit window now for every credential.
    public func resetRateLimit() {
        let now = clock()
        state.withLock { state in
            for credential in state.budgets.keys {
                state.budgets[credential] = Budget(resetAt: now.addingTimeInterval(rateLimitWindow))
            }
        }
    }

    /// The credential's budget, refilled when its window has passed; a first use opens a window now.
    func budget(_ state: inout State, _ credential: SimulatedCredential, now: Date) -> Budget {
        var budget = state.budgets[credential] ?? Budget(resetAt: now.addingTimeInterval(rateLimitWindow))
        if now >= budget.resetAt {
            budget = Budget(resetAt: now.addingTimeInterval(rateLimitWindow))
        }
        state.budgets[credential] = budget
        return budget
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
