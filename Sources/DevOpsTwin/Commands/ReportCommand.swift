import ArgumentParser
import Dora
import Foundation
import TwinConfig
import TwinRuntime

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "DORA report from the store: a table for people, --json for machines."
    )

    @OptionGroup var options: CommonOptions

    @Flag(name: .long, help: "Print JSON (shape: docs/report-json.md).")
    var json = false

    @Option(name: .long, help: "Compute as of this instant (ISO 8601, e.g. 2024-06-01T00:00:00Z or 2024-06-01). Default: now.")
    var asOf: String?

    @Option(name: .long, help: "Window(s): 7d, 30d, 90d, all, …; repeat or separate with commas. Default: the configured windows.")
    var window: [String] = []

    @Option(name: .long, help: "Only this repository (owner/name); repeatable.")
    var repository: [String] = []

    func run() async throws {
        let logger = options.makeLogger()
        try await CommandFailure.reporting {
            let loaded = try options.loadConfiguration(logger: logger)
            let asOfDate = try parseAsOf()
            let windows = try parseWindows(default: loaded.dora.windows)
            let store = try loaded.openStore(logger: logger)
            // Discovered repositories as the last sync found them (no request to GitHub).
            let configuration = loaded.withLastDiscovery(store: store)
            let repositories = try selectRepositories(configuration.repositories)
            let result = try DoraReports.compute(
                store: store, repositories: repositories, groups: configuration.groups, windows: windows,
                benchmark: configuration.dora.benchmark, asOf: asOfDate)
            if json {
                print(ReportJSON.string(result.reports, entityCounts: result.entityCounts, groups: result.groups))
            } else {
                print(ReportTable.render(result.reports, entityCounts: result.entityCounts, groups: result.groups))
            }
        }
    }

    private func parseAsOf() throws -> Date {
        guard let asOf else { return Date() }
        guard let date = ConfigLoader.parseDate(asOf) else {
            throw CommandFailure("--as-of \"\(asOf)\" is not a date; use 2024-06-01 or 2024-06-01T12:00:00Z", exitCode: 2)
        }
        return date
    }

    private func parseWindows(default windows: [DoraWindow]) throws -> [DoraWindow] {
        let names = window.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        guard !names.isEmpty else { return windows }
        var result: [DoraWindow] = []
        for name in names where !result.contains(where: { $0.name == name }) {
            do {
                result.append(try ConfigLoader.window(name, key: "--window"))
            } catch {
                throw CommandFailure(error.description, exitCode: 2)
            }
        }
        return result
    }

    private func selectRepositories(_ all: [RepositorySettings]) throws -> [RepositorySettings] {
        guard !repository.isEmpty else { return all }
        return try repository.map { name in
            guard let match = all.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw CommandFailure(
                    "--repository \(name) is not configured; configured: \(all.map(\.name).joined(separator: ", "))", exitCode: 2)
            }
            return match
        }
    }
}
