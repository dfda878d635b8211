import ArgumentParser
import Foundation
import TwinConfig

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective one, secrets redacted."
    )

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let logger = options.makeLogger()
        try await CommandFailure.reporting {
            let configuration = try options.loadConfiguration(logger: logger)
            print(configuration.effectiveJSON())
        }
    }
}
