import Foundation
import JSONEscaping
import Testing

@Suite struct JSONStringTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("say \"hi\"", #""say \"hi\"""#),
        ("a\\b", #""a\\b""#),
        ("line\nnext\r\ttab", #""line\nnext\r\ttab""#),
        ("\u{01}\u{1f}", #""\u0001\u001f""#),
        ("ünï ✓", "\"ünï ✓\""),
    ])
    func escapesWhatJSONRequires(value: String, expected: String) throws {
        #expect(JSONString.quoted(value) == expected)
        var bytes: [UInt8] = []
        JSONString.append(value, to: &bytes)
        #expect(bytes == Array(expected.utf8))
        // And it reads back as the same string.
        #expect(try JSONDecoder().decode(String.self, from: Data(expected.utf8)) == value)
    }
}
