import ArgumentParser

struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backfill", abstract: "(being built)")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        throw CommandFailure("'backfill' is not built yet")
    }
}
