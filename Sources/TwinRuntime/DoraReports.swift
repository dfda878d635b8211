import Dora
import Foundation
import TwinConfig
import TwinStore

/// Runs the DORA engine over the store for the configured repositories: what `report` prints, what the
/// exporter's snapshot is built from and what `backfill` writes, so all three always agree.
public enum DoraReports {
    /// The reports and, per repository, the store's entity counts (the report table's footer).
    public struct Result: Sendable {
        public var reports: [RepositoryReport]
        public var entityCounts: [String: [String: Int]]
        /// One per group whose members are all among the repositories computed.
        public var groups: [GroupReport] = []
    }

    public static func compute(
        store: TwinStore, repositories: [RepositorySettings], groups: [GroupSettings] = [], windows: [DoraWindow],
        benchmark: DoraDefinitions.Benchmark = .v2023, asOf: Date
    ) throws -> Result {
        let data = try load(store: store, repositories: repositories)
        var counts: [String: [String: Int]] = [:]
        for repository in repositories { counts[repository.name] = try store.entityCounts(repository.name) }
        return Result(
            reports: try reports(data: data, repositories: repositories, windows: windows, asOf: asOf), entityCounts: counts,
            groups: try groupReports(
                data: data, repositories: repositories, groups: groups, windows: windows, benchmark: benchmark, asOf: asOf))
    }

    /// Each group's numbers from its members' data (read once, shared with the repositories' reports). A group
    /// with a member outside `repositories` (a report narrowed with `--repository`) is left out: its numbers
    /// would be partial.
    public static func groupReports(
        data: [String: RepositoryData], repositories: [RepositorySettings], groups: [GroupSettings], windows: [DoraWindow],
        benchmark: DoraDefinitions.Benchmark, asOf: Date
    ) throws -> [GroupReport] {
        let settings = Dictionary(repositories.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return try groups.compactMap { group in
            let members = group.repositories.compactMap { name in
                settings[name].map { GroupMember(data: data[name] ?? RepositoryData(repository: name), definitions: $0.definitions) }
            }
            guard members.count == group.repositories.count else { return nil }
            return try DoraEngine.groupReport(group: group.name, members: members, windows: windows, asOf: asOf, benchmark: benchmark)
        }
    }

    /// The store's read model per repository (read once when computing many instants, as `backfill` does), with
    /// how far back its synced history reaches: windows beyond it are reported incomplete, at every instant.
    public static func load(store: TwinStore, repositories: [RepositorySettings]) throws -> [String: RepositoryData] {
        var data: [String: RepositoryData] = [:]
        for repository in repositories {
            var read = try store.repositoryData(repository.name)
            read.coverage = try store.historyCoverage(repository: repository.name)
            data[repository.name] = read
        }
        try AlertIngest.attach(store: store, repositories: repositories, to: &data)
        return data
    }

    public static func reports(
        data: [String: RepositoryData], repositories: [RepositorySettings], windows: [DoraWindow], asOf: Date
    ) throws -> [RepositoryReport] {
        try repositories.map { repository in
            try DoraEngine.report(
                for: data[repository.name] ?? RepositoryData(repository: repository.name), definitions: repository.definitions,
                windows: windows, asOf: asOf)
        }
    }
}
