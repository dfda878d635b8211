import Foundation
import GitHubAPI

/// `Link` header values, twice per input: the bytes as a header (any text), and a header built from the bytes
/// out of known links (in the forms the parser promises to accept), whose parse must give those links back.
enum LinkHeaderHarness {
    static let harness = FuzzHarness(
        name: "link-header",
        summary: "Link headers through LinkHeader.parse: garbage, and well-formed headers built from the input",
        check: check)

    static func check(_ data: Data) throws(HarnessViolation) {
        let raw = String(decoding: data, as: UTF8.self)
        for (rel, url) in LinkHeader.parse(raw) {
            guard !rel.isEmpty, rel == rel.lowercased(), !rel.contains(where: { $0 == " " || $0 == "\t" }) else {
                throw HarnessViolation("relations are lower-cased single tokens", "\(rel.debugDescription) in \(raw.debugDescription)")
            }
            guard !url.isEmpty, !url.contains(">"), url.first != " ", url.last != " " else {
                throw HarnessViolation("URLs are what stood between < and >, trimmed", "\(url.debugDescription) in \(raw.debugDescription)")
            }
        }
        var input = FuzzInput(data)
        let (header, expected) = build(&input)
        let parsed = LinkHeader.parse(header)
        guard parsed == expected else {
            throw HarnessViolation("a well-formed header parses to its links", "\(header.debugDescription) gave \(parsed), expected \(expected)")
        }
    }

    /// A header of up to eight links, their URLs and relations taken from the input, written in one of the
    /// forms GitHub (or a proxy) may send; and the relation → URL map it means (the first link of a relation wins).
    static func build(_ input: inout FuzzInput) -> (String, [String: String]) {
        var parts: [String] = []
        var expected: [String: String] = [:]
        var count = 0
        while !input.isAtEnd, count < 8 {
            count += 1
            let style = input.byte()
            let url = FuzzInput.text(input.chunk().filter { $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") })
                .trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
            let rels = relations(input.chunk())
            guard !url.isEmpty, !url.contains(where: { $0 == "<" || $0 == ">" }) else { continue }
            let relText = rels.map { style & 0x10 == 0 ? $0 : $0.uppercased() }.joined(separator: style & 0x20 == 0 ? " " : "\t")
            let rel: String
            switch (style & 0x3, rels.count) {
            case (0, _), (_, 2...): rel = "rel=\"\(relText)\""
            case (1, _): rel = "rel='\(relText)'"
            case (2, _): rel = "rel=\(relText)"
            default: rel = "REL = \"\(relText)\""
            }
            let extra = style & 0x4 == 0 ? "" : "; type=\"text/html\""
            let spacing = style & 0x8 == 0 ? "" : " \t"
            let before = style & 0x40 == 0 ? [extra, rel] : [rel, extra]
            parts.append("\(spacing)<\(url)>" + before.filter { !$0.isEmpty }.map { "\(spacing); \($0)" }.joined())
            for rel in rels where expected[rel] == nil {
                expected[rel] = url
            }
        }
        return (parts.joined(separator: ","), expected)
    }

    /// Up to three relation names: lower-case letters and digits mapped from the bytes.
    static func relations(_ bytes: [UInt8]) -> [String] {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let names = bytes.split(whereSeparator: { $0 < 0x20 }).prefix(3).map { word in
            String(word.prefix(12).map { alphabet[Int($0) % alphabet.count] })
        }
        return names.isEmpty ? ["next"] : names
    }
}
