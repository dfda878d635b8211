import ArgumentParser
import Dora
import Foundation
import Logging
import TwinConfig
import TwinRuntime

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective one, secrets redacted.",
        discussion: """
            When the store already exists, also warns (on standard error) about a deploying workflow \
            (deployment source "workflow") whose runs are in the store but none of which counts as a deployment.
            """
    )

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let logger = options.makeLogger()
        try await CommandFailure.reporting {
            let configuration = try options.loadConfiguration(logger: logger)
            print(configuration.effectiveJSON())
            LineBufferedOutput.flush()
            // The configuration is valid whatever the store holds: a store that cannot be read is a warning here.
            let warnings: [String]
            do {
                warnings = try Self.deployingWorkflowWarnings(configuration, asOf: Date(), logger: logger)
            } catch let failure as CommandFailure {
                warnings = ["warning: the store was not checked: \(failure.description)"]
            } catch {
                warnings = ["warning: the store was not checked: \(error)"]
            }
            for warning in warnings {
                FileHandle.standardError.write(Data("\(warning)\n".utf8))
            }
        }
    }

    /// One warning per repository whose deploying workflows have completed runs in the store, none of which
    /// the `workflow` source's selection counts. Nothing when the store does not exist yet (never creates it).
    static func deployingWorkflowWarnings(
        _ configuration: TwinConfiguration, asOf: Date, logger: Logger
    ) throws -> [String] {
        let wanted = configuration.repositories.filter {
            if case .workflow = $0.definitions.deploymentSource { true } else { false }
        }
        guard !wanted.isEmpty, FileManager.default.fileExists(atPath: configuration.store.path) else { return [] }
        let store = try configuration.openStore(logger: logger)
        let data = try DoraReports.load(store: store, repositories: wanted)
        return try wanted.compactMap { repository in
            guard case .workflow(let names) = repository.definitions.deploymentSource,
                let selection = try DoraEngine.workflowRunSelection(
                    for: data[repository.name] ?? RepositoryData(repository: repository.name),
                    definitions: repository.definitions, asOf: asOf)
            else { return nil }
            return selection.warning(
                repository: repository.name, trackedBranch: repository.definitions.trackedBranch, workflows: names)
        }
    }
}
