import ArgumentParser

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "(being built)")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        throw CommandFailure("'demo' is not built yet")
    }
}
