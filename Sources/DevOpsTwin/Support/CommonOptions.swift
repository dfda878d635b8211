import ArgumentParser
import Dora
import Exporter
import Foundation
import Logging
import TwinConfig
import TwinRuntime

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Path of the configuration file.")
    var config: String = "./config.json"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(name: .long, help: "This instance's shard, 0 ..< --total-shards (env DEVOPS_TWIN_SHARD; default: the ordinal of a StatefulSet pod's name).")
    var shard: Int?

    @Option(name: .long, help: "Instances the repositories are spread over (env DEVOPS_TWIN_TOTAL_SHARDS; default 1). See docs/scaling.md.")
    var totalShards: Int?

    /// Loads and validates the configuration, printing warnings, and keeps this shard's repositories; exits
    /// non-zero with the error otherwise. `allowingSurplus` (the daemon): an ordinal at or beyond the total is
    /// not fatal; the instance owns nothing and keeps serving /metrics with its ordinal and total (docs/scaling.md).
    func loadConfiguration(logger: Logger, allowingSurplus: Bool = false) throws -> TwinConfiguration {
        let loaded: LoadedConfiguration
        do {
            var loader = ConfigLoader()
            loader.knownMetricFamilies = Set(MetricsFilter.knownFamilies)
            loaded = try loader.load(path: config)
        } catch {
            throw CommandFailure(error.description, exitCode: 2)
        }
        for warning in loaded.warnings { logger.warning("configuration warning", metadata: ["warning": "\(warning)"]) }
        let assignment = try shardAssignment(environment: ProcessInfo.processInfo.environment, allowingSurplus: allowingSurplus)
        if assignment.isSurplus {
            logger.error(
                """
                this instance's shard ordinal is beyond the configured total: it owns no repository and only serves /metrics \
                (devops_twin_shard_ordinal, devops_twin_total_shards); raise DEVOPS_TWIN_TOTAL_SHARDS to the replica count, \
                or scale the StatefulSet back (docs/scaling.md)
                """,
                metadata: ["shard": "\(assignment.index)", "totalShards": "\(assignment.total)"])
        }
        guard assignment.total > 1 || assignment.isSurplus else { return loaded.configuration }
        let configuration = loaded.configuration.restricted(to: assignment)
        logger.info(
            "shard of the configured repositories",
            metadata: [
                "shard": "\(assignment.index)", "totalShards": "\(assignment.total)",
                "repositories": "\(configuration.repositories.count) of \(loaded.configuration.repositories.count)",
                "groups": "\(configuration.groups.count) of \(loaded.configuration.groups.count)",
            ])
        return configuration
    }

    func shardAssignment(environment: [String: String], allowingSurplus: Bool = false) throws -> ShardAssignment {
        do {
            return try ShardAssignment.resolve(
                shard: shard, totalShards: totalShards, environment: environment, allowingSurplus: allowingSurplus)
        } catch {
            throw CommandFailure(error.description, exitCode: 2)
        }
    }

    func makeLogger(label: String = "devops-twin") -> Logger {
        LogSetup.bootstrap(level: logLevel)
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension CommandFailure {
    /// Runs a command's body: a `CommandFailure` (or a `DoraError` from invalid definitions) is printed as
    /// `error: …` on standard error and becomes the exit code.
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("error: \(failure.description)\n".utf8))
            throw ExitCode(failure.exitCode)
        } catch let error as TwinRuntimeError {
            // The daemon could not start (settings, listen address) or stopped with an error.
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(error.kind == .stopped ? 1 : 2)
        } catch let error as DoraError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// A failure a command reports with a clear message and exit code (no stack trace).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32

    init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}
