import Foundation
import Testing

@testable import Dora

@Suite struct AlertMatcherTests {
    @Test func parsesPrometheusSelectors() throws {
        let m = try AlertMatcher.parse(#"{alertname=~"High.*", severity!="info", team='a\'b', env !~ "dev|test", x=""}"#)
        #expect(m.map(\.name) == ["alertname", "severity", "team", "env", "x"])
        #expect(m.map(\.op) == [.matches, .notEqual, .equal, .notMatches, .equal])
        #expect(m[2].value == "a'b")
        #expect(try AlertMatcher.parse(#"severity="page""#).count == 1)
        #expect(try AlertMatcher.parse("{}").isEmpty)
        #expect(AlertMatcher.selectorText(m).hasPrefix(#"{alertname=~"High.*", severity!="info""#))
        #expect(try AlertMatcher.parse(AlertMatcher.selectorText(m)) == m)
    }

    @Test(arguments: [#"{severity="page""#, #"{severity=page}"#, #"{severity=="page"}"#, #"{1a="b"}"#, #"{a=~"("}"#, #"{a="b"} x"#, #"{="b"}"#])
    func rejectsMalformedSelectors(_ text: String) {
        #expect(throws: DoraError.self) { try AlertMatcher.parse(text) }
    }

    @Test func regexesAreAnchoredAndAbsentLabelsAreEmpty() throws {
        let selector = try AlertSelector(try AlertMatcher.parse(#"{severity=~"crit|page", team!="x", owner=""}"#))
        #expect(selector.matches(["severity": "crit"]))
        #expect(!selector.matches(["severity": "critical"]))
        #expect(!selector.matches(["severity": "page", "team": "x"]))
        #expect(!selector.matches(["severity": "page", "owner": "me"]))
        #expect(!selector.matches([:]))
    }

    @Test func theFingerprintOfALabelSetIgnoresOrderAndSeparatesNamesFromValues() {
        #expect(AlertFingerprint.of(labels: ["a": "1", "b": "2"]) == AlertFingerprint.of(labels: ["b": "2", "a": "1"]))
        #expect(AlertFingerprint.of(labels: ["a": "12"]) != AlertFingerprint.of(labels: ["a1": "2"]))
        #expect(AlertFingerprint.of(labels: [:]).count == 16)
    }
}
