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
        do {
            let configuration = try options.loadConfiguration(logger: logger)
            print(configuration.effectiveJSON())
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("error: \(failure.description)\n".utf8))
            throw ExitCode(failure.exitCode)
        }
    }
}
