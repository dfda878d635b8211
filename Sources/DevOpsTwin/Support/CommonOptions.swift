import ArgumentParser
import Foundation
import Logging
import TwinConfig

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Path of the configuration file.")
    var config: String = "./config.json"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    /// Loads and validates the configuration, printing warnings; exits non-zero with the error otherwise.
    func loadConfiguration(logger: Logger) throws -> TwinConfiguration {
        do {
            let loaded = try ConfigLoader().load(path: config)
            for warning in loaded.warnings { logger.warning("configuration warning", metadata: ["warning": "\(warning)"]) }
            return loaded.configuration
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

/// A failure a command reports with a clear message and exit code (no stack trace).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32

    init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}
