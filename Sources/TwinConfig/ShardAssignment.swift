import Foundation

/// Which repositories an instance syncs and serves when the work is spread over several instances, in the way
/// kube-state-metrics shards: every instance reads the same configuration and keeps the units whose hash, modulo
/// the number of shards, is its own index. Deterministic, with no coordination between instances.
///
/// The unit is a set of repositories that must stay together: repositories linked through groups (a repository
/// in two groups joins them), so that every group's numbers are computed from all its members' events in one
/// instance. A repository in no group is a unit of its own.
public struct ShardAssignment: Sendable, Hashable {
    /// This instance's index, `0 ..< total`.
    public var index: Int
    public var total: Int

    public init(index: Int, total: Int) {
        self.index = index
        self.total = total
    }

    /// An instance beyond the configured total (a StatefulSet scaled up before `DEVOPS_TWIN_TOTAL_SHARDS` was
    /// raised): it owns no repository, but `run` keeps serving `/metrics` with its ordinal and the total, so the
    /// shard-mismatch alert fires instead of a silent crash loop (docs/scaling.md).
    public var isSurplus: Bool { index >= total }

    /// The units: repositories linked by groups, each unit in configuration order, units ordered by first member.
    public static func units(repositories: [String], groups: [GroupSettings]) -> [[String]] {
        var parent = Array(repositories.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        let index = Dictionary(repositories.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for group in groups {
            let members = group.repositories.compactMap { index[$0] }
            for member in members.dropFirst() {
                let (a, b) = (root(members[0]), root(member))
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var units: [Int: [String]] = [:]
        var order: [Int] = []
        for (i, repository) in repositories.enumerated() {
            let r = root(i)
            if units[r] == nil { order.append(r) }
            units[r, default: []].append(repository)
        }
        return order.map { units[$0]! }
    }

    /// The shard of a unit: FNV-1a (64-bit) of the lowercased smallest member name, mixed with SplitMix64's
    /// finaliser (FNV's low bits depend only on the low bits of each byte), modulo `total`. Stable across releases,
    /// platforms and the order of the configuration.
    public static func shard(of unit: [String], total: Int) -> Int {
        let key = unit.map { $0.lowercased() }.min() ?? ""
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return Int(hash % UInt64(max(total, 1)))
    }

    /// The assignment from the command line (`--shard`, `--total-shards`), else the environment
    /// (`DEVOPS_TWIN_SHARD`, `DEVOPS_TWIN_TOTAL_SHARDS`), else, with several shards, the ordinal at the end of the
    /// StatefulSet pod's name (`POD_NAME`, else `HOSTNAME`). One shard when nothing is set.
    ///
    /// An index at or beyond the total is refused unless `allowingSurplus` (the daemon: it runs as a surplus
    /// instance that owns nothing, see `isSurplus`); a negative index is always refused.
    public static func resolve(
        shard: Int?, totalShards: Int?, environment: [String: String], allowingSurplus: Bool = false
    ) throws(ConfigError) -> ShardAssignment {
        func number(_ option: Int?, _ variable: String) throws(ConfigError) -> Int? {
            if let option { return option }
            guard let text = environment[variable], !text.isEmpty else { return nil }
            guard let value = Int(text) else { throw ConfigError(key: variable, message: "\"\(text)\" is not a whole number") }
            return value
        }
        let total = try number(totalShards, "DEVOPS_TWIN_TOTAL_SHARDS") ?? 1
        guard (1...10_000).contains(total) else {
            throw ConfigError(key: "--total-shards", message: "\(total) is out of range: 1 … 10000")
        }
        let podName = environment["POD_NAME"] ?? environment["HOSTNAME"]
        guard let index = try number(shard, "DEVOPS_TWIN_SHARD") ?? (total > 1 ? podName.flatMap(ordinal) : 0) else {
            throw ConfigError(
                key: "--shard",
                message: "--total-shards \(total) needs this instance's index: pass --shard N (0 … \(total - 1)), set "
                    + "DEVOPS_TWIN_SHARD, or run as a StatefulSet pod (its name ends in the ordinal)")
        }
        guard index >= 0, index < total || (allowingSurplus && index <= 10_000) else {
            throw ConfigError(key: "--shard", message: "\(index) is out of range for --total-shards \(total): use 0 … \(total - 1)")
        }
        return ShardAssignment(index: index, total: total)
    }

    /// The shard index of a StatefulSet pod from its name (`devops-twin-2` → 2), as Kubernetes names them.
    public static func ordinal(fromPodName name: String) -> Int? {
        guard let dash = name.lastIndex(of: "-"), let ordinal = Int(name[name.index(after: dash)...]), ordinal >= 0 else { return nil }
        return ordinal
    }
}

extension TwinConfiguration {
    /// The configuration of one shard: its units' repositories and the groups among them (whole groups only).
    /// Every shard's repositories stay known (`allRepositories`, `owningShard(of:)`), so that a webhook delivery
    /// about another shard's repository can be forwarded to it. A surplus shard keeps no repository.
    public func restricted(to shard: ShardAssignment) -> TwinConfiguration {
        var copy = self
        copy.allRepositories = repositories
        guard shard.total > 1 || shard.isSurplus else {
            copy.owners = [:]
            return copy
        }
        let units = ShardAssignment.units(repositories: repositories.map(\.name), groups: groups)
        var owners: [String: Int] = [:]
        for unit in units {
            let owner = ShardAssignment.shard(of: unit, total: shard.total)
            for repository in unit { owners[repository.lowercased()] = owner }
        }
        let mine = Set(units.filter { ShardAssignment.shard(of: $0, total: shard.total) == shard.index }.joined())
        copy.owners = owners
        copy.shard = shard
        copy.repositories = repositories.filter { mine.contains($0.name) }
        copy.groups = groups.filter { $0.repositories.allSatisfy(mine.contains) }
        return copy
    }
}

extension TwinConfiguration {
    /// The shard that owns `repository` (a configured or discovered name, any case): the same assignment every
    /// shard computes, groups kept whole; 0 when unsharded; nil when no shard has it.
    public func owningShard(of repository: String) -> Int? {
        guard shard.total > 1 || shard.isSurplus else {
            return allRepositories.contains { $0.name.lowercased() == repository.lowercased() } ? 0 : nil
        }
        return owners[repository.lowercased()]
    }
}
