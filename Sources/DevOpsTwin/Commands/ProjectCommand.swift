import ArgumentParser
import Foundation
import Logging
import GraphProjection
import TwinConfig
import TwinRuntime

struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Project the store into Neo4j now (incremental from the watermark); --rebuild clears and rewrites each repository's part. Never calls GitHub."
    )

    @OptionGroup var options: CommonOptions

    @Flag(name: .long, help: "Clear this repository's part of the graph and write it again from the store.")
    var rebuild = false

    @Option(name: .long, help: "Only this repository (owner/name); repeatable.")
    var repository: [String] = []

    @Flag(name: .long, help: "Print the results as JSON.")
    var json = false

    func run() async throws {
        let logger = options.makeLogger()
        try await CommandFailure.reporting {
            let loaded = try options.loadConfiguration(logger: logger)
            let store = try loaded.openStore(logger: logger)
            let configuration = loaded.withLastDiscovery(store: store)
            guard configuration.neo4j != nil else {
                throw CommandFailure("Neo4j is not configured: add a \"neo4j\" section with \"url\" to the configuration (or set NEO4J_URL)", exitCode: 2)
            }
            let selected = configuration.repositories.filter { repository.isEmpty || repository.map { $0.lowercased() }.contains($0.name.lowercased()) }
            guard !selected.isEmpty else { throw CommandFailure("none of --repository \(repository.joined(separator: ", ")) is configured", exitCode: 2) }
            let rebuild = self.rebuild
            let results = try await HTTPClientScope.with { httpClient in
                guard let projector = try configuration.makeGraphProjector(store: store, httpClient: httpClient, logger: logger) else {
                    return [ProjectionResult]()
                }
                return try await TerminationSignals.cancelling {
                    guard rebuild else { return await projector.project(repositories: selected, asOf: Date()) }
                    var results: [ProjectionResult] = []
                    for repository in selected { results.append(await projector.rebuild(repository: repository, asOf: Date())) }
                    return results
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(results), as: UTF8.self))
            }
            for result in results {
                var metadata: Logger.Metadata = [
                    "repository": "\(result.repository)", "outcome": "\(result.outcome.rawValue)", "items": "\(result.itemsWritten)",
                    "statements": "\(result.statements)", "requests": "\(result.requests)", "lag": "\(result.lag)",
                ]
                if let error = result.error { metadata["error"] = "\(error)" }
                if result.outcome == .failed { logger.error("projection failed", metadata: metadata) } else { logger.info("projection finished", metadata: metadata) }
            }
            let failed = results.filter { $0.outcome == .failed }
            if !failed.isEmpty {
                throw CommandFailure("projection failed for \(failed.map { "\($0.repository) (\($0.error ?? "unknown"))" }.joined(separator: "; "))")
            }
        }
    }
}
