import Foundation
import Testing

@testable import TwinConfig

/// Property tests of the incident label-rule parser (`"bug&prod"`): random and hostile rule text either
/// parses into non-empty, trimmed labels that re-join to the same rule, or is refused with a ConfigError.
@Suite struct IncidentRuleParserPropertyTests {
    @Test func randomRuleTextParsesCleanlyOrIsRefused() {
        var state: UInt64 = 4242
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let pieces = ["bug", "Prod", "incident", " ", "&", "&&", "sev:1", "p1", "\"", "\\", "}", "é", "MATCH (n)", "\n", ""]
        var accepted = 0
        for _ in 0..<5000 {
            let count = 1 + Int(next() % 5)
            let text = (0..<count).map { _ in pieces[Int(next() % UInt64(pieces.count))] }.joined()
            do {
                let rules = try ConfigLoader.incidentRules(.array([.string(text)]), key: "rules")
                accepted += 1
                #expect(rules.count == 1)
                for label in rules[0] {
                    #expect(!label.isEmpty)
                    #expect(label == label.trimmingCharacters(in: .whitespaces))
                    #expect(!label.contains("&"))
                }
                let rejoined = rules[0].joined(separator: "&")
                let reparsed = try? ConfigLoader.incidentRules(.array([.string(rejoined)]), key: "rules")
                #expect(reparsed == rules)
            } catch {
                #expect(error.key.hasPrefix("rules"))
            }
        }
        #expect(accepted > 500)
    }

    @Test(arguments: [("bug&prod", [["bug", "prod"]]), (" Bug & Prod ", [["Bug", "Prod"]]), ("incident", [["incident"]])])
    func rulesAreSplitOnAmpersands(text: String, expected: [[String]]) throws {
        #expect(try ConfigLoader.incidentRules(.string(text), key: "rules") == expected)
    }
}
