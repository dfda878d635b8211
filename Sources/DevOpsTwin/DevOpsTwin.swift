import ArgumentParser

/// The `devops-twin` executable: thin; every command wires library parts together.
@main
struct DevOpsTwin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devops-twin",
        abstract: "DORA metrics from GitHub, kept in an embedded store and a Neo4j graph, served to Prometheus.",
        version: BuildInfo.version,
        subcommands: [
            RunCommand.self, SyncCommand.self, ReportCommand.self, ProjectCommand.self, CheckConfigCommand.self,
            DemoCommand.self, BackfillCommand.self, ConvertConfigCommand.self, SimulatorCommand.self, PruneCommand.self,
        ]
    )
}
