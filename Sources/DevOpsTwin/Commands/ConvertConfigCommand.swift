import ArgumentParser
import Foundation
import TwinConfig

struct ConvertConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert-config",
        abstract: "Convert the Python prototype's config.json into this format (printed on standard output)."
    )

    @Argument(help: "The prototype's config.json.")
    var prototypeConfig: String

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: prototypeConfig) else {
            FileHandle.standardError.write(Data("error: cannot read '\(prototypeConfig)'\n".utf8))
            throw ExitCode(2)
        }
        do {
            let (json, warnings) = try PrototypeConfigConverter.convert(data: data)
            for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            print(json)
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
