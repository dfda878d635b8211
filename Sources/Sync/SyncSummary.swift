/// The result of one sync of every configured repository (`devops-twin sync --json` prints it).
public struct SyncSummary: Sendable, Codable, Hashable {
    /// In configuration order.
    public var repositories: [RepositorySyncResult]
    /// What each credential's budget allowed (empty for a sync without planning).
    public var budgets: [CredentialBudget]

    public init(repositories: [RepositorySyncResult], budgets: [CredentialBudget] = []) {
        self.repositories = repositories
        self.budgets = budgets
    }

    /// Whether every repository synced successfully.
    public var succeeded: Bool { repositories.allSatisfy { $0.outcome == .success } }
}
