import Dora
import Foundation
import TwinConfig
import TwinStore

/// Runs the DORA engine over the store for the configured repositories: what `report` prints and what
/// the exporter's snapshot is built from, so both always agree.
enum DoraReports {
    struct Result {
        var reports: [RepositoryReport]
        var entityCounts: [String: [String: Int]]
    }

    static func compute(
        store: TwinStore, repositories: [RepositorySettings], windows: [DoraWindow], asOf: Date
    ) throws -> Result {
        var reports: [RepositoryReport] = []
        var counts: [String: [String: Int]] = [:]
        for repository in repositories {
            let data = try store.repositoryData(repository.name)
            reports.append(try DoraEngine.report(for: data, definitions: repository.definitions, windows: windows, asOf: asOf))
            counts[repository.name] = try store.entityCounts(repository.name)
        }
        return Result(reports: reports, entityCounts: counts)
    }
}
