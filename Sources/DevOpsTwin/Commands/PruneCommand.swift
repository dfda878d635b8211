import ArgumentParser
import Foundation
import Logging
import TwinConfig
import TwinRuntime
import TwinStore

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove from the store the data of repositories that are no longer synced (removed from the configuration, or no longer discovered: deleted, archived or excluded).",
        discussion: """
            Without --yes it only lists what it would remove. With --shard, the shard's own store loses the \
            repositories that are no longer this shard's. Discovered repositories are those of the last \
            discovery (the last `run` or `sync`). Their series already left /metrics when they stopped being \
            synced; this frees the store. Neo4j keeps its nodes until `project --rebuild`.
            """
    )

    @OptionGroup var options: CommonOptions

    @Flag(name: .long, help: "Remove (without it, only list).")
    var yes = false

    func run() async throws {
        let logger = options.makeLogger()
        try await CommandFailure.reporting {
            let loaded = try options.loadConfiguration(logger: logger)
            guard FileManager.default.fileExists(atPath: loaded.store.path) else {
                print("no store at \(loaded.store.path): nothing to prune")
                return
            }
            let store = try loaded.openStore(logger: logger)
            let synced = Set(loaded.withLastDiscovery(store: store).repositories.map { $0.name.lowercased() })
            let stale = try store.storedRepositories().filter { !synced.contains($0.lowercased()) }
            guard !stale.isEmpty else {
                print("nothing to prune: every repository in the store is synced")
                return
            }
            for repository in stale {
                let rows = try store.storedRows(of: repository)
                let total = rows.values.reduce(0, +)
                if yes {
                    try store.remove(repository: repository)
                    print("removed \(repository) (\(total) rows)")
                } else {
                    print("would remove \(repository) (\(total) rows: \(rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))")
                }
            }
            if !yes { print("run again with --yes to remove them") }
        }
    }
}
