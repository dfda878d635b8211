import Exporter
import Foundation

/// Arbitrary label values (repository, workflow and environment names come from GitHub) and HELP text,
/// rendered by `ExpositionRenderer` in both formats and read back by the strict ``ExpositionReader``.
/// Properties: every line follows the grammar (no raw newline or unescaped quote inside a value), and every
/// label value and HELP text reads back scalar for scalar, in order, one line per sample.
enum LabelValueHarness {
    static let harness = FuzzHarness(
        name: "label-values",
        summary: "arbitrary label values and HELP text through ExpositionRenderer, read back by a strict parser",
        check: check)

    static func check(_ data: Data) throws(HarnessViolation) {
        var input = FuzzInput(data)
        let help = FuzzInput.text(input.chunk())
        var values: [String] = []
        while !input.isAtEnd, values.count < 16 {
            values.append(FuzzInput.text(input.chunk()))
        }
        if values.isEmpty { values = [help] }
        let snapshot = snapshot(help: help, values: values)
        for format in ExpositionFormat.allCases {
            let text = ExpositionRenderer.render(snapshot, format: format)
            let lines = try ExpositionReader(format: format).read(text)
            try compare(lines, with: snapshot, format: format)
        }
    }

    /// A gauge with one sample per value, a counter with a timestamp, an info family: the three shapes the
    /// exporter renders labels in.
    static func snapshot(help: String, values: [String]) -> MetricsSnapshot {
        MetricsSnapshot(
            asOf: Date(timeIntervalSince1970: 1_767_225_600),
            families: [
                MetricFamily(
                    name: "devops_twin_fuzz_value", type: .gauge, help: help,
                    samples: values.enumerated().map { index, value in
                        MetricSample(labels: [MetricLabel("repository", value), MetricLabel("index", "\(index)")], value: Double(index))
                    }),
                MetricFamily(
                    name: "devops_twin_fuzz_events_total", type: .counter, help: "Events.\n\\ \(help)",
                    samples: [
                        MetricSample(
                            labels: [MetricLabel("workflow", values[0]), MetricLabel("environment", values[values.count - 1])], value: 3,
                            timestamp: Date(timeIntervalSince1970: 1_767_225_600.5))
                    ]),
                MetricFamily(
                    name: "devops_twin_fuzz_build_info", type: .info, help: "Build.",
                    samples: [MetricSample(labels: [MetricLabel("version", values[values.count / 2])], value: 1)]),
            ])
    }

    static func compare(_ lines: [ExpositionReader.Line], with snapshot: MetricsSnapshot, format: ExpositionFormat) throws(HarnessViolation) {
        let samples = lines.compactMap { line -> ExpositionReader.Sample? in
            if case .sample(let sample) = line { return sample }
            return nil
        }
        let expected = snapshot.families.flatMap { family in family.samples.map { (family, $0) } }
        guard samples.count == expected.count else {
            throw HarnessViolation("one line per sample", "\(samples.count) sample lines for \(expected.count) samples")
        }
        for (read, (family, sample)) in zip(samples, expected) {
            let labels = sample.labels.map { ExpositionReader.Label(name: $0.name, value: Array($0.value.unicodeScalars)) }
            guard read.name == family.name + sample.suffix, read.labels == labels else {
                throw HarnessViolation(
                    "label values read back as written",
                    "\(format): wrote \(sample.labels.map(\.value.debugDescription)), read \(read.labels.map { String(String.UnicodeScalarView($0.value)).debugDescription })")
            }
        }
        let helps = lines.compactMap { line -> [Unicode.Scalar]? in
            if case .help(_, let text) = line { return text }
            return nil
        }
        guard helps == snapshot.families.map({ Array($0.help.unicodeScalars) }) else {
            throw HarnessViolation("HELP text reads back as written", "\(format): \(snapshot.families.map(\.help.debugDescription))")
        }
    }
}
