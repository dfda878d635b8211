import Foundation
import Testing

@testable import Exporter

@Suite("Exposition renderer")
struct ExpositionRendererTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func golden(_ format: ExpositionFormat) -> URL {
        goldenDirectory.appendingPathComponent(format == .openMetrics ? "realistic.openmetrics.txt" : "realistic.prom.txt")
    }

    /// Set `UPDATE_GOLDEN=1` to rewrite the golden files from the current output (then review the diff).
    @Test("the realistic snapshot renders as the golden exposition, order-insensitively", arguments: ExpositionFormat.allCases)
    func matchesGolden(format: ExpositionFormat) throws {
        let text = ExpositionRenderer.render(Fixtures.realisticSnapshot(), format: format)
        let url = Self.golden(format)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        let actual = ParsedExposition(text, format: format)
        let golden = ParsedExposition(expected, format: format)
        #expect(actual.problems.isEmpty, "\(actual.problems)")
        #expect(golden.problems.isEmpty, "\(golden.problems)")
        #expect(Set(actual.families.keys) == Set(golden.families.keys))
        for (name, family) in golden.families {
            #expect(actual.families[name] == family, "family \(name) differs from the golden file")
        }
    }

    @Test("the golden comparison ignores family and sample order but not content")
    func orderInsensitiveComparison() {
        let a = "# HELP a x\n# TYPE a gauge\na{l=\"1\"} 1\na{l=\"2\"} 2\n# HELP b y\n# TYPE b gauge\nb 3\n"
        let reordered = "# HELP b y\n# TYPE b gauge\nb 3\n# HELP a x\n# TYPE a gauge\na{l=\"2\"} 2\na{l=\"1\"} 1\n"
        let changed = "# HELP b y\n# TYPE b gauge\nb 4\n# HELP a x\n# TYPE a gauge\na{l=\"2\"} 2\na{l=\"1\"} 1\n"
        let sampleFirst = "a{l=\"1\"} 1\n# HELP a x\n# TYPE a gauge\n"
        #expect(ParsedExposition(a, format: .prometheusText) == ParsedExposition(reordered, format: .prometheusText))
        #expect(ParsedExposition(a, format: .prometheusText) != ParsedExposition(changed, format: .prometheusText))
        #expect(!ParsedExposition(sampleFirst, format: .prometheusText).problems.isEmpty)
    }

    @Test("every family renders HELP and TYPE exactly once, before its samples", arguments: ExpositionFormat.allCases)
    func metadataOncePerFamily(format: ExpositionFormat) {
        let parsed = ParsedExposition(ExpositionRenderer.render(Fixtures.realisticSnapshot(), format: format), format: format)
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        #expect(parsed.familyOrder.count == MetricsSnapshotBuilder.familyNames.count)
        for (name, family) in parsed.families {
            #expect(family.metadata.filter { $0.hasPrefix("# HELP ") }.count == 1, "\(name)")
            #expect(family.metadata.filter { $0.hasPrefix("# TYPE ") }.count == 1, "\(name)")
            #expect(!family.samples.isEmpty, "\(name)")
        }
    }

    @Test("label values escape quotes, backslashes and newlines in both formats", arguments: ExpositionFormat.allCases)
    func labelEscaping(format: ExpositionFormat) {
        let text = ExpositionRenderer.render(Fixtures.realisticSnapshot(), format: format)
        #expect(text.contains(#"repository="acme/\"quoted\"\\back\nslash""#))
        #expect(text.contains(#"workflow="build \"quick\" C:\\ci\nlinux""#))
        #expect(!text.contains("back\nslash"), "a raw newline would end the sample line")
    }

    @Test(
        "escaping of label values and HELP text",
        arguments: [
            ("plain", "plain", "plain", "plain"),
            ("a\"b", #"a\"b"#, "a\"b", #"a\"b"#),
            (#"a\b"#, #"a\\b"#, #"a\\b"#, #"a\\b"#),
            ("a\nb", #"a\nb"#, #"a\nb"#, #"a\nb"#),
            ("\\\"\n", #"\\\"\n"#, #"\\"\n"#, #"\\\"\n"#),
        ])
    func escaping(raw: String, label: String, textHelp: String, openMetricsHelp: String) {
        #expect(ExpositionRenderer.escapeLabelValue(raw) == label)
        #expect(ExpositionRenderer.escapeHelp(raw, format: .prometheusText) == textHelp)
        #expect(ExpositionRenderer.escapeHelp(raw, format: .openMetrics) == openMetricsHelp)
    }

    @Test(
        "values print integers without exponent and other floats so that they parse back exactly",
        arguments: [
            (0.0, "0"), (-0.0, "0"), (42, "42"), (-3, "-3"), (1_764_374_400, "1764374400"), (0.5, "0.5"),
            (1.0 / 3.0, "0.3333333333333333"), (64_800.25, "64800.25"), (1e-7, "1e-07"), (9_007_199_254_740_992, "9007199254740992.0"), (1e300, "1e+300"),
        ])
    func valueFormatting(value: Double, expected: String) {
        let text = ExpositionRenderer.formatValue(value)
        #expect(text == expected)
        #expect(Double(text) == value)
        #expect(!text.contains("inf") && !text.contains("nan"))
    }

    @Test("non-finite sample values are never rendered")
    func nonFiniteDropped() {
        let family = MetricFamily(
            name: "devops_twin_test", type: .gauge, help: "h",
            samples: [
                MetricSample(labels: [MetricLabel("k", "a")], value: .nan), MetricSample(labels: [MetricLabel("k", "b")], value: .infinity),
                MetricSample(labels: [MetricLabel("k", "c")], value: 1),
            ])
        let only = MetricFamily(name: "devops_twin_gone", type: .gauge, help: "h", samples: [MetricSample(labels: [], value: -.infinity)])
        let text = ExpositionRenderer.render(MetricsSnapshot(asOf: Fixtures.asOf, families: [family, only]), format: .prometheusText)
        #expect(text == "# HELP devops_twin_test h\n# TYPE devops_twin_test gauge\ndevops_twin_test{k=\"c\"} 1\n")
    }

    @Test("OpenMetrics ends with # EOF, names counters without _total in metadata, types info and gives units")
    func openMetricsSpecifics() throws {
        let text = ExpositionRenderer.render(Fixtures.realisticSnapshot(), format: .openMetrics)
        #expect(text.hasSuffix("\n# EOF\n"))
        #expect(text.components(separatedBy: "# EOF").count == 2)
        #expect(text.contains("# TYPE devops_twin_sync_runs counter\n"))
        #expect(text.contains("# HELP devops_twin_sync_runs "))
        #expect(text.contains("devops_twin_sync_runs_total{repository=\"acme/api\",result=\"success\"} 41\n"))
        #expect(!text.contains("# TYPE devops_twin_sync_runs_total"))
        #expect(text.contains("# TYPE devops_twin_build info\n"))
        #expect(text.contains("devops_twin_build_info{version=\"1.2.3\",revision=\"abc1234\"} 1\n"))
        #expect(text.contains("# TYPE devops_twin_dora_lead_time_seconds gauge\n# UNIT devops_twin_dora_lead_time_seconds seconds\n# HELP"))
        let parsed = ParsedExposition(text, format: .openMetrics)
        #expect(parsed.endsWithEOF)
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        // UNIT only where the family name ends with the unit.
        for family in parsed.families.values {
            for line in family.metadata where line.hasPrefix("# UNIT ") {
                let parts = line.split(separator: " ")
                #expect(parts[2].hasSuffix("_" + parts[3]), "\(line)")
            }
        }
    }

    @Test("the text format types counters with their _total name and info families as gauges, without # EOF")
    func textFormatSpecifics() {
        let text = ExpositionRenderer.render(Fixtures.realisticSnapshot(), format: .prometheusText)
        #expect(text.contains("# TYPE devops_twin_sync_runs_total counter\n"))
        #expect(text.contains("# TYPE devops_twin_build_info gauge\n"))
        #expect(!text.contains("# EOF"))
        #expect(!text.contains("# UNIT"))
        // Non-finite values are never emitted; "+Inf" appears only as a histogram bucket's bound.
        #expect(!text.contains("NaN") && !text.replacingOccurrences(of: #"le="+Inf""#, with: "").contains("Inf"))
    }
}
