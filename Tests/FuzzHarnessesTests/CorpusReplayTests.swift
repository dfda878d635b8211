import Foundation
import Testing

@testable import FuzzHarnesses

/// The committed seed corpus and every input a fuzzing run found (`Fuzz/Regressions`) replayed through the same
/// harness functions libFuzzer calls: each property holds for each file.
@Suite("Fuzz corpus replay")
struct CorpusReplayTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    @Test("every harness has a seed corpus and every seed and regression keeps its properties", arguments: FuzzHarness.all.map(\.name))
    func replay(name: String) throws {
        let harness = try #require(FuzzHarness.named(name))
        let seeds = CorpusReplay.files(at: [Self.fuzzFolder.appendingPathComponent("Corpus/\(name)").path])
        let regressions = CorpusReplay.files(at: [Self.fuzzFolder.appendingPathComponent("Regressions/\(name)").path])
        #expect(!seeds.isEmpty, "no seed corpus in Fuzz/Corpus/\(name)")
        let findings = CorpusReplay.replay(harness, files: seeds + regressions)
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
    }

    @Test("the corpus folders are exactly the harnesses, so scripts/fuzz runs every one")
    func corpusFoldersMatchHarnesses() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.fuzzFolder.appendingPathComponent("Corpus").path)
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }
        #expect(Set(folders) == Set(FuzzHarness.all.map(\.name)))
    }

    @Test("short and empty inputs are read as zeros and empty fields, never past the end")
    func shortInputs() throws {
        for harness in FuzzHarness.all {
            for input in [Data(), Data([0]), Data([0xFF]), Data([0x0A, 0x0A]), Data([0x05, 0x41])] {
                #expect(throws: Never.self, "\(harness.name) on \(Array(input))") { try harness.run(input) }
            }
        }
    }
}
