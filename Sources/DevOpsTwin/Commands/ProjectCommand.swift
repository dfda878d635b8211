import ArgumentParser

struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "project", abstract: "(being built)")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        throw CommandFailure("'project' is not built yet")
    }
}
