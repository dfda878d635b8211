import Foundation

/// How this instance is configured, as the sharding and staleness alerts need it: which shard it is of how many,
/// and how often it syncs on schedule. Exported as `devops_twin_shard_ordinal`, `devops_twin_total_shards` and
/// `devops_twin_sync_interval_seconds`; pass nil to the builder to leave them out (one-shot commands).
public struct InstanceInfo: Sendable, Hashable {
    /// This instance's shard, 0-based; 0 when unsharded. At or beyond `totalShards` for a surplus instance.
    public var shardOrdinal: Int
    /// The shard total this instance was configured with; 1 when unsharded.
    public var totalShards: Int
    /// The effective `sync.interval` in seconds (1 h by default when webhooks are on).
    public var syncInterval: TimeInterval

    public init(shardOrdinal: Int, totalShards: Int, syncInterval: TimeInterval) {
        self.shardOrdinal = shardOrdinal
        self.totalShards = totalShards
        self.syncInterval = syncInterval
    }
}
