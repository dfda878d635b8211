import ArgumentParser
import Dora
import Foundation
import Logging
import TwinConfig
import TwinRuntime
import Sync

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

    @Flag(name: .long, help: "Also list the configured organisations' repositories (asks GitHub) and say which would be synced, with which credential, and why the others are not.")
    var discover = false

    func run() async throws {
        let logger = options.makeLogger()
        try await CommandFailure.reporting {
            let configuration = try options.loadConfiguration(logger: logger)
            print(configuration.effectiveJSON())
            LineBufferedOutput.flush()
            if discover {
                try await Self.printDiscovery(configuration, logger: logger)
                LineBufferedOutput.flush()
            }
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

    /// Lists what discovery finds, against a throw-away store (the real one is not touched).
    static func printDiscovery(_ configuration: TwinConfiguration, logger: Logger) async throws {
        guard !configuration.organizations.isEmpty else {
            print("discovery: no organisations are configured (\"organizations\")")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devops-twin-discover-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var scratch = configuration
        scratch.store.path = folder.appendingPathComponent("discover.sqlite").path
        let store = try scratch.openStore(logger: logger)
        let lines = try await HTTPClientScope.with { httpClient in
            let session = SyncSession(configuration: scratch, store: store, httpClient: httpClient, logger: logger)
            let prepared = await session.prepare()
            guard let found = prepared.discovery else { return [String]() }
            var lines: [String] = []
            for organization in configuration.organizations {
                let listed = found.listed[organization.name] ?? []
                let synced = listed.filter(organization.admits)
                lines.append("\(organization.name): \(synced.count) of \(listed.count) repositories would be synced")
                if let failure = found.failures[organization.name] { lines.append("  listing failed: \(failure)") }
                for repository in listed {
                    if let reason = organization.exclusion(of: repository) {
                        lines.append("  skip  \(repository.fullName)  (\(reason))")
                    } else {
                        let settings = try? organization.settings(for: repository)
                        let credential = prepared.engine.credentialName(for: repository.fullName)
                        lines.append("  sync  \(repository.fullName)  branch \(settings?.branch ?? repository.defaultBranch)  credential \(credential)")
                    }
                }
            }
            return lines
        }
        for line in lines { print(line) }
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
