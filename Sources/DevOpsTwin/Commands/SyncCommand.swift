import ArgumentParser

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "(being built)")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        throw CommandFailure("'sync' is not built yet")
    }
}
