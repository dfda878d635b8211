import ArgumentParser

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "(being built)")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        throw CommandFailure("'run' is not built yet")
    }
}
