import ArgumentParser

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "(being built)")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        throw CommandFailure("'report' is not built yet")
    }
}
