import Foundation
import Testing

@testable import Exporter

/// Label values whose quote or backslash is followed by a combining mark or a joiner (one Swift Character,
/// not `"`) are escaped. Found by the `label-values` fuzz harness: `"` + U+200D went out raw and ended the
/// value early; the input it found is `Fuzz/Regressions/label-values/quote-before-zero-width-joiner.bin`.
@Suite("Label value escaping")
struct LabelValueEscapingTests {
    static let regression = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/Regressions/label-values/quote-before-zero-width-joiner.bin")

    @Test(
        "a quote, backslash or newline is escaped whatever follows it",
        arguments: [
            ("\"\u{200D}", "\\\"\u{200D}"),
            ("a\"\u{301}b", "a\\\"\u{301}b"),
            ("\\\u{301}", "\\\\\u{301}"),
            ("x\n\u{301}", "x\\n\u{301}"),
            ("👩\"\u{200D}💻", "👩\\\"\u{200D}💻"),
            ("plain", "plain"),
        ])
    func escapes(value: String, escaped: String) {
        #expect(Array(ExpositionRenderer.escapeLabelValue(value).unicodeScalars) == Array(escaped.unicodeScalars))
    }

    /// The fuzzer's input is length-prefixed chunks: HELP text, then label values.
    static func regressionValues() throws -> [String] {
        var bytes = ArraySlice(try Data(contentsOf: regression))
        var chunks: [String] = []
        while let length = bytes.first {
            let chunk = bytes.dropFirst().prefix(Int(length))
            chunks.append(String(decoding: chunk, as: UTF8.self))
            bytes = bytes.dropFirst(1 + chunk.count)
        }
        return Array(chunks.dropFirst())
    }

    /// promtool (Prometheus's own parser) refused this exposition before the fix: the raw quote ended the value.
    @Test("the fuzzer's label values render to an exposition promtool accepts")
    func regressionPassesPromtool() throws {
        let values = try Self.regressionValues()
        #expect(values.contains { $0.unicodeScalars.contains("\"") })
        let snapshot = MetricsSnapshot(
            asOf: Date(timeIntervalSince1970: 1_767_225_600),
            families: [
                MetricFamily(
                    name: "devops_twin_fuzz_value", type: .gauge, help: "Label values found by the fuzzer.",
                    samples: values.enumerated().map { index, value in
                        MetricSample(labels: [MetricLabel("repository", value), MetricLabel("index", "\(index)")], value: Double(index))
                    })
            ])
        let text = ExpositionRenderer.render(snapshot, format: .prometheusText)
        guard let result = try PromtoolTests.checkMetrics(text) else {
            Issue.record(Comment(rawValue: PromtoolTests.missing))
            return
        }
        #expect(result.status == 0, "promtool: \(result.output)")
    }
}
