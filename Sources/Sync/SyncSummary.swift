/// The result of one sync of every configured repository (`devops-twin sync --json` prints it).
public struct SyncSummary: Sendable, Codable, Hashable {
    /// In configuration order.
    public var repositories: [RepositorySyncResult]

    public init(repositories: [RepositorySyncResult]) {
        self.repositories = repositories
    }

    /// Whether every repository synced successfully.
    public var succeeded: Bool { repositories.allSatisfy { $0.outcome == .success } }
}
