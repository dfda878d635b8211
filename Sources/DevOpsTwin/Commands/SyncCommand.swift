import ArgumentParser
import Foundation
import GitHubAPI
import Logging
import Sync
import TwinConfig
import TwinRuntime

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync every configured repository from GitHub into the store once, then exit (non-zero on failure)."
    )

    @OptionGroup var options: CommonOptions

    @Flag(name: .long, help: "Print a machine-readable summary: per repository and entity the items fetched and stored, requests by HTTP status.")
    var json = false

    @Option(name: .long, help: "Only this repository (owner/name); repeatable.")
    var repository: [String] = []

    func run() async throws {
        let logger = options.makeLogger()
        try await CommandFailure.reporting {
            let configuration = try options.loadConfiguration(logger: logger)
            let store = try configuration.openStore(logger: logger)
            let progress = ProgressLine.forStandardError()
            let wanted = Set(repository.map { $0.lowercased() })
            let summary = try await HTTPClientScope.with { httpClient in
                // Credentials (App installations) and the organisations' repositories first.
                let session = SyncSession(configuration: configuration, store: store, httpClient: httpClient, logger: logger)
                let prepared = await session.prepare(progress: progress?.report)
                var repositories = prepared.configuration.repositories
                if !wanted.isEmpty {
                    repositories = repositories.filter { wanted.contains($0.name.lowercased()) }
                    guard !repositories.isEmpty else {
                        throw CommandFailure("none of --repository \(repository.joined(separator: ", ")) is configured", exitCode: 2)
                    }
                }
                let selected = repositories
                return try await TerminationSignals.cancelling { await prepared.engine.syncAll(selected) }
            }
            progress?.finish()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            }
            SyncDigest.log(summary, logger: logger)
            let digest = SyncDigest(summary)
            if !summary.succeeded {
                let failures = summary.repositories.filter { $0.outcome != .success }
                let lines = digest.problems.map { digest.line($0) }
                // Each line counts its repositories ("rate_limited: 34 of 200 repositories (…)").
                throw CommandFailure(
                    "sync did not complete: " + lines.joined(separator: " | "),
                    exitCode: failures.contains { $0.outcome == .rateLimited } && failures.count == 1 ? 4 : 1)
            }
        }
    }
}
