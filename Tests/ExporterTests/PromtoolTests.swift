import Foundation
import Testing

@testable import Exporter

/// Runs the real `promtool` (Debian package `prometheus`) on the exposition. Fails, never skips, when it is missing.
@Suite("promtool check metrics")
struct PromtoolTests {
    static func promtoolPath() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"])
            .map { $0 + "/promtool" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Feeds `input` to `promtool check metrics` on stdin; returns its exit status and combined output.
    static func checkMetrics(_ input: String) throws -> (status: Int32, output: String)? {
        guard let promtool = promtoolPath() else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let stdin = Pipe()
        let output = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static let missing = "promtool not found on PATH: install the Debian package `prometheus` (apt-get install -y prometheus); scripts/test does this in CI"

    @Test("the text exposition of a realistic snapshot has no promtool finding")
    func realisticTextIsClean() throws {
        let text = ExpositionRenderer.render(Fixtures.realisticSnapshot(), format: .prometheusText)
        guard let result = try Self.checkMetrics(text) else {
            Issue.record(Comment(rawValue: Self.missing))
            return
        }
        #expect(result.status == 0, "promtool: \(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "promtool findings: \(result.output)")
    }

    @Test("the golden text exposition has no promtool finding")
    func goldenTextIsClean() throws {
        let golden = try String(contentsOf: ExpositionRendererTests.golden(.prometheusText), encoding: .utf8)
        guard let result = try Self.checkMetrics(golden) else {
            Issue.record(Comment(rawValue: Self.missing))
            return
        }
        #expect(result.status == 0 && result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "promtool: \(result.output)")
    }

    @Test("promtool does report a bad exposition, so a clean result means something")
    func promtoolDetectsProblems() throws {
        let bad = "# TYPE devops_twin_requests counter\ndevops_twin_requests 1\n"
        guard let result = try Self.checkMetrics(bad) else {
            Issue.record(Comment(rawValue: Self.missing))
            return
        }
        #expect(result.status != 0)
        #expect(result.output.contains("no help text") || result.output.contains("_total"), "\(result.output)")
    }
}
