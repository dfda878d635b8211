import Foundation
import Testing

/// README.md's account of the command line is the binary's: the commands in its table, and which of them
/// take `--config`, as `devops-twin <command> --help` says.
@Suite struct CommandLineEndToEndTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The commands of README's `## Commands` table, and those its paragraph says read `--config`.
    static func documented() throws -> (commands: [String], withConfig: Set<String>) {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Commands\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        let commands = section.split(separator: "\n").filter { $0.hasPrefix("| `") }.compactMap {
            $0.split(separator: "`").dropFirst().first.map(String.init)
        }
        let sentence = try #require(section.components(separatedBy: "\n\n").last { $0.contains("`--config PATH`") })
        let before = sentence.components(separatedBy: "read the configuration from").first ?? ""
        let withConfig = Set(
            before.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map {
                String($0.element)
            })
        return (commands, withConfig)
    }

    @Test func readmeSaysWhichCommandsTakeConfig() async throws {
        let (commands, withConfig) = try Self.documented()
        let workspace = try Workspace()
        defer { workspace.remove() }
        let help = try await TwinProcess.run(["--help"], in: workspace.url)
        // Every subcommand of the binary is in the table, and only those.
        // Subcommand names start their line after two spaces; descriptions continue further in.
        let section = help.stdout.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        var listed: [String] = []
        for line in section.split(separator: "\n") where line.hasPrefix("  ") && !line.hasPrefix("   ") {
            let name = String(line.dropFirst(2).prefix { $0 != " " })
            if name != "See" { listed.append(name) }
        }
        #expect(Set(listed) == Set(commands))
        #expect(!withConfig.isEmpty)
        for command in commands {
            let usage = try await TwinProcess.run([command, "--help"], in: workspace.url)
            #expect(usage.status == 0, "\(command) --help: \(usage.stderr)")
            #expect(
                usage.stdout.contains("--config") == withConfig.contains(command),
                "\(command): README and --help disagree on --config (README: \(withConfig.sorted()))")
        }
    }
}
