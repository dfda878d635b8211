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
    }

    public static func compute(
        store: TwinStore, repositories: [RepositorySettings], windows: [DoraWindow], asOf: Date
    ) throws -> Result {
        let data = try load(store: store, repositories: repositories)
        var counts: [String: [String: Int]] = [:]
        for repository in repositories { counts[repository.name] = try store.entityCounts(repository.name) }
        return Result(reports: try reports(data: data, repositories: repositories, windows: windows, asOf: asOf), entityCounts: counts)
    }

    /// The store's read model per repository (read once when computing many instants, as `backfill` does).
    public static func load(store: TwinStore, repositories: [RepositorySettings]) throws -> [String: RepositoryData] {
        var data: [String: RepositoryData] = [:]
        for repository in repositories { data[repository.name] = try store.repositoryData(repository.name) }
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
