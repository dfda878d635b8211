import TwinConfig

/// Which other shards a verified delivery concerns, when the repositories are spread over several instances
/// (docs/scaling.md): the delivery is routed over every shard's repositories with the same router, and each
/// configured repository it concerns is mapped to its owner by the same assignment every shard computes (groups
/// kept whole). An App's `installation` and `installation_repositories` events concern every shard.
public struct ShardRouting: Sendable {
    /// This instance's ordinal (at or beyond `totalShards` for a surplus instance, which owns nothing).
    public var ownShard: Int
    public var totalShards: Int
    let router: WebhookRouter
    let owner: @Sendable (String) -> Int?

    /// - Parameters:
    ///   - repositories: every shard's repositories (`TwinConfiguration.allRepositories`).
    ///   - owner: the owning shard of a configured repository (`TwinConfiguration.owningShard(of:)`).
    public init(
        ownShard: Int, totalShards: Int, repositories: [RepositorySettings], owner: @escaping @Sendable (String) -> Int?
    ) {
        self.ownShard = ownShard
        self.totalShards = totalShards
        self.router = WebhookRouter(repositories: repositories)
        self.owner = owner
    }

    /// The other shards that act on the delivery, ascending; empty when only this one does, or none.
    func peers(event: WebhookEvent, payload: WebhookPayload) -> [Int] {
        switch router.action(event: event, payload: payload) {
        case .repositorySetChanged:
            return (0..<totalShards).filter { $0 != ownShard }
        case .sync(let routes):
            return Set(routes.compactMap { owner($0.repository) }).subtracting([ownShard]).sorted()
        case .ping, .ignored, .unknownRepository:
            return []
        }
    }
}
