import Foundation

/// The parser of Prometheus label matchers: `{name op "value", …}`, values in double or single quotes with
/// backslash escapes (`\"`, `\\`, `\n`, `\t`).
struct AlertMatcherParser {
    private let characters: [Character]
    private var index = 0
    private let text: String

    init(_ text: String) {
        self.text = text
        self.characters = Array(text)
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func anchored(_ pattern: String, matcher: String) throws(DoraError) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: "^(?:\(pattern))$")
        } catch {
            throw DoraError(kind: .invalidPattern, "\(matcher): \"\(pattern)\" is not a valid regular expression")
        }
    }

    mutating func matchers() throws(DoraError) -> [AlertMatcher] {
        skipSpaces()
        let braced = peek == "{"
        if braced { index += 1 }
        var result: [AlertMatcher] = []
        while true {
            skipSpaces()
            if braced, peek == "}" { index += 1; break }
            if !braced, peek == nil { break }
            result.append(try matcher())
            skipSpaces()
            if peek == "," { index += 1; continue }
            if braced {
                guard peek == "}" else { throw failure("expected \",\" or \"}\"") }
                index += 1
            }
            break
        }
        skipSpaces()
        guard peek == nil else { throw failure("unexpected text after the matchers") }
        return result
    }

    private var peek: Character? { index < characters.count ? characters[index] : nil }

    private mutating func skipSpaces() {
        while let c = peek, c.isWhitespace { index += 1 }
    }

    private mutating func matcher() throws(DoraError) -> AlertMatcher {
        var name = ""
        while let c = peek, c == "_" || c.isLetter || c.isNumber { name.append(c); index += 1 }
        guard !name.isEmpty else { throw failure("expected a label name") }
        skipSpaces()
        var op = ""
        while let c = peek, c == "=" || c == "!" || c == "~", op.count < 2 { op.append(c); index += 1 }
        guard let parsed = AlertMatcher.Operator(rawValue: op) else {
            throw failure("expected one of = != =~ !~ after \"\(name)\"")
        }
        skipSpaces()
        return try AlertMatcher(name: name, op: parsed, value: try quoted())
    }

    private mutating func quoted() throws(DoraError) -> String {
        guard let quote = peek, quote == "\"" || quote == "'" else { throw failure("expected a quoted value") }
        index += 1
        var value = ""
        while let c = peek {
            index += 1
            if c == quote { return value }
            if c == "\\" {
                guard let next = peek else { break }
                index += 1
                switch next {
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: value.append(next)
                }
            } else {
                value.append(c)
            }
        }
        throw failure("unterminated quoted value")
    }

    private func failure(_ what: String) -> DoraError {
        DoraError(kind: .invalidPattern, "\(what) at character \(index + 1) of \(text.debugDescription) (Prometheus matcher syntax: {alertname=~\"..\", severity!=\"info\"})")
    }
}
