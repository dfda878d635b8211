import Exporter

/// A strict reader of the Prometheus text format 0.0.4 and OpenMetrics 1.0 as their grammars define them, written
/// apart from `ExpositionRenderer` so the harness can judge its output: one line per sample or metadata, label
/// values in double quotes with only `\\`, `\"` and `\n` escaped, HELP with only `\\` and `\n` (and `\"` in
/// OpenMetrics, where a bare quote is not allowed). Anything else is a violation naming the line.
struct ExpositionReader {
    struct Sample: Equatable {
        var name: String
        var labels: [Label]
        var value: String
        var timestamp: String?
    }

    struct Label: Equatable {
        var name: String
        /// The unescaped value, compared scalar by scalar.
        var value: [Unicode.Scalar]
    }

    enum Line: Equatable {
        case help(name: String, text: [Unicode.Scalar])
        case type(name: String, type: String)
        case unit(name: String, unit: String)
        case sample(Sample)
        case eof
    }

    let format: ExpositionFormat

    /// The lines of `text`, which must end with a newline (and, in OpenMetrics, with `# EOF`).
    func read(_ text: String) throws(HarnessViolation) -> [Line] {
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        guard lines.last == [] else { throw HarnessViolation("the exposition ends with a newline", String(text.suffix(80))) }
        lines.removeLast()
        let read = try lines.map { (line) throws(HarnessViolation) in try self.line(line) }
        if format == .openMetrics, read.last != .eof {
            throw HarnessViolation("an OpenMetrics exposition ends with # EOF", String(text.suffix(80)))
        }
        return read
    }

    private func line(_ scalars: [Unicode.Scalar]) throws(HarnessViolation) -> Line {
        var cursor = Cursor(scalars: scalars)
        if cursor.take("# HELP ") {
            let name = try cursor.metricName()
            guard cursor.take(" ") else { throw cursor.violation("a space after the HELP name") }
            return .help(name: name, text: try helpText(&cursor))
        }
        if cursor.take("# TYPE ") {
            let name = try cursor.metricName()
            guard cursor.take(" ") else { throw cursor.violation("a space after the TYPE name") }
            return .type(name: name, type: String(String.UnicodeScalarView(cursor.rest())))
        }
        if cursor.take("# UNIT ") {
            let name = try cursor.metricName()
            guard cursor.take(" ") else { throw cursor.violation("a space after the UNIT name") }
            return .unit(name: name, unit: String(String.UnicodeScalarView(cursor.rest())))
        }
        if scalars == Array("# EOF".unicodeScalars) { return .eof }
        if cursor.peek == "#" { throw cursor.violation("a known comment (HELP, TYPE, UNIT, EOF)") }
        let name = try cursor.metricName()
        var labels: [Label] = []
        if cursor.take("{") {
            while !cursor.take("}") {
                if !labels.isEmpty, !cursor.take(",") { throw cursor.violation("a comma or } after a label") }
                let labelName = try cursor.labelName()
                guard cursor.take("=\"") else { throw cursor.violation("=\" after the label name") }
                labels.append(Label(name: labelName, value: try labelValue(&cursor)))
            }
        }
        guard cursor.take(" ") else { throw cursor.violation("a space before the value") }
        let fields = String(String.UnicodeScalarView(cursor.rest())).split(separator: " ", omittingEmptySubsequences: false)
        guard (1...2).contains(fields.count), fields.allSatisfy({ Double($0) != nil }) else {
            throw cursor.violation("a number and an optional timestamp")
        }
        return .sample(Sample(name: name, labels: labels, value: String(fields[0]), timestamp: fields.count == 2 ? String(fields[1]) : nil))
    }

    /// Up to the closing quote, unescaping `\\`, `\"` and `\n`.
    private func labelValue(_ cursor: inout Cursor) throws(HarnessViolation) -> [Unicode.Scalar] {
        var value: [Unicode.Scalar] = []
        while let scalar = cursor.next() {
            switch scalar {
            case "\"": return value
            case "\\":
                switch cursor.next() {
                case "\\": value.append("\\")
                case "\"": value.append("\"")
                case "n": value.append("\n")
                default: throw cursor.violation("only \\\\, \\\" and \\n escaped in a label value")
                }
            default: value.append(scalar)
            }
        }
        throw cursor.violation("a closing quote of the label value")
    }

    private func helpText(_ cursor: inout Cursor) throws(HarnessViolation) -> [Unicode.Scalar] {
        var text: [Unicode.Scalar] = []
        while let scalar = cursor.next() {
            switch scalar {
            case "\\":
                switch cursor.next() {
                case "\\": text.append("\\")
                case "n": text.append("\n")
                case "\"" where format == .openMetrics: text.append("\"")
                default: throw cursor.violation("only known escapes in HELP")
                }
            case "\"" where format == .openMetrics: throw cursor.violation("no bare quote in an OpenMetrics HELP")
            default: text.append(scalar)
            }
        }
        return text
    }

    /// A position in one line.
    struct Cursor {
        let scalars: [Unicode.Scalar]
        var index = 0

        var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func next() -> Unicode.Scalar? {
            defer { index += 1 }
            return peek
        }

        mutating func take(_ literal: String) -> Bool {
            let expected = Array(literal.unicodeScalars)
            guard scalars.count - index >= expected.count, Array(scalars[index..<index + expected.count]) == expected else { return false }
            index += expected.count
            return true
        }

        mutating func rest() -> [Unicode.Scalar] {
            defer { index = scalars.count }
            return index < scalars.count ? Array(scalars[index...]) : []
        }

        mutating func metricName() throws(HarnessViolation) -> String { try identifier(colons: true) }
        mutating func labelName() throws(HarnessViolation) -> String { try identifier(colons: false) }

        private mutating func identifier(colons: Bool) throws(HarnessViolation) -> String {
            let start = index
            while let scalar = peek, scalar.isASCII,
                scalar.properties.isAlphabetic || scalar == "_" || (colons && scalar == ":") || (index > start && ("0"..."9").contains(scalar))
            {
                index += 1
            }
            guard index > start else { throw violation("a metric or label name") }
            return String(String.UnicodeScalarView(scalars[start..<index]))
        }

        func violation(_ expected: String) -> HarnessViolation {
            HarnessViolation(
                "the exposition follows the text format's grammar",
                "expected \(expected) at scalar \(index) of \(String(String.UnicodeScalarView(scalars)).debugDescription)")
        }
    }
}
