import Exporter
import Foundation
import Testing

@testable import FuzzHarnesses

/// The harnesses' judges judge: the strict exposition reader refuses what the grammar refuses, and the
/// harnesses report a broken property instead of passing it.
@Suite("Fuzz harness oracles")
struct HarnessOracleTests {
    @Test("the exposition reader unescapes label values and HELP text")
    func readsEscapes() throws {
        let reader = ExpositionReader(format: .prometheusText)
        let lines = try reader.read("# HELP m a \\\\ b \\n \"c\"\nm{a=\"x\\\"y\\\\z\\n\",b=\"\"} 1 1700000000000\n")
        #expect(lines == [
            .help(name: "m", text: Array("a \\ b \n \"c\"".unicodeScalars)),
            .sample(.init(
                name: "m", labels: [.init(name: "a", value: Array("x\"y\\z\n".unicodeScalars)), .init(name: "b", value: [])],
                value: "1", timestamp: "1700000000000")),
        ])
    }

    @Test(
        "the exposition reader refuses what the text format refuses",
        arguments: [
            "m{a=\"x\"y\"} 1\n",  // a bare quote inside a value
            "m{a=\"x\\ty\"} 1\n",  // an escape the format does not have
            "m{a=\"x} 1\n",  // no closing quote
            "m{a=\"x\"} 1",  // no final newline
            "m{a=\"x\"}\n",  // no value
            "m{a=\"x\"} one\n",  // not a number
        ])
    func refuses(text: String) {
        #expect(throws: HarnessViolation.self) { try ExpositionReader(format: .prometheusText).read(text) }
    }

    @Test("a bare quote in an OpenMetrics HELP is refused, and # EOF is required")
    func openMetricsRules() {
        let reader = ExpositionReader(format: .openMetrics)
        #expect(throws: HarnessViolation.self) { try reader.read("# HELP m say \"hi\"\n# EOF\n") }
        #expect(throws: HarnessViolation.self) { try reader.read("m 1\n") }
        #expect(throws: Never.self) { try reader.read("# HELP m say \\\"hi\\\"\nm 1\n# EOF\n") }
    }

    @Test("the label harness compares what it read with what it wrote")
    func labelComparison() throws {
        let snapshot = LabelValueHarness.snapshot(help: "h", values: ["a"])
        let text = ExpositionRenderer.render(snapshot, format: .prometheusText).replacingOccurrences(of: "repository=\"a\"", with: "repository=\"b\"")
        let lines = try ExpositionReader(format: .prometheusText).read(text)
        #expect(throws: HarnessViolation.self) { try LabelValueHarness.compare(lines, with: snapshot, format: .prometheusText) }
    }

    @Test("the Link harness builds headers whose links it knows")
    func linkHeaderBuilder() {
        var input = FuzzInput(Data([0x00, 9] + Array("https://a".utf8) + [4] + Array("next".utf8)))
        let (header, expected) = LinkHeaderHarness.build(&input)
        #expect(header == "<https://a>; rel=\"\(LinkHeaderHarness.relations(Array("next".utf8))[0])\"")
        #expect(expected.count == 1)
    }

    @Test("a forged webhook signature is refused and a genuine one accepted, both through the harness's own check")
    func webhookSignatureModes() throws {
        let body = Array(#"{"ref":"refs/heads/main","repository":{"full_name":"demo/app"}}"#.utf8)
        // event push (index 1), mode 0 (signed), a delivery id, an empty signature line, the body
        let signed = Data([1, 0] + Array("d-1\n\n".utf8) + body)
        let forged = Data([1, 2] + Array("d-1\nsha256=\(String(repeating: "0", count: 64))\n".utf8) + body)
        #expect(throws: Never.self) { try WebhookDeliveryHarness.check(signed) }
        #expect(throws: Never.self) { try WebhookDeliveryHarness.check(forged) }
        #expect(WebhookDeliveryHarness.repositories.map(\.name) == ["demo/app", "demo/ops", "demo/web"])
    }
}
