import Foundation

/// One alert label matcher in Prometheus syntax: `name="value"`, `name!="value"`, `name=~"regex"` or
/// `name!~"regex"`. Regexes are anchored at both ends, as Prometheus anchors them. A label that is absent has
/// the empty value, so `team!="x"` holds for an alert without `team`, and `team=""` only for one without it.
public struct AlertMatcher: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    public var name: String
    public var op: Operator
    public var value: String

    /// A matcher whose regex (for `=~` and `!~`) has been checked to compile.
    public init(name: String, op: Operator, value: String) throws(DoraError) {
        guard AlertMatcherParser.isLabelName(name) else {
            throw DoraError(kind: .invalidPattern, "\"\(name)\" is not a label name: use letters, digits and _, not starting with a digit")
        }
        self.name = name
        self.op = op
        self.value = value
        if op == .matches || op == .notMatches { _ = try AlertMatcherParser.anchored(value, matcher: description) }
    }

    /// Parses `{a="b", c=~"d"}` (braces optional; an empty selector `{}` gives no matcher).
    public static func parse(_ text: String) throws(DoraError) -> [AlertMatcher] {
        var parser = AlertMatcherParser(text)
        return try parser.matchers()
    }

    /// `name op "value"`, in Prometheus syntax.
    public var description: String {
        var quoted = ""
        for character in value {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            default: quoted.append(character)
            }
        }
        return "\(name)\(op.rawValue)\"\(quoted)\""
    }

    /// `{a="b", c=~"d"}`.
    public static func selectorText(_ matchers: [AlertMatcher]) -> String {
        "{" + matchers.map(\.description).joined(separator: ", ") + "}"
    }
}

/// A set of matchers compiled once: all must hold.
struct AlertSelector {
    private let tests: [(name: String, test: (String) -> Bool)]

    init(_ matchers: [AlertMatcher]) throws(DoraError) {
        var tests: [(String, (String) -> Bool)] = []
        for matcher in matchers {
            let value = matcher.value
            switch matcher.op {
            case .equal: tests.append((matcher.name, { $0 == value }))
            case .notEqual: tests.append((matcher.name, { $0 != value }))
            case .matches, .notMatches:
                let regex = try AlertMatcherParser.anchored(value, matcher: matcher.description)
                let wanted = matcher.op == .matches
                tests.append((matcher.name, { text in
                    (regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil) == wanted
                }))
            }
        }
        self.tests = tests
    }

    func matches(_ labels: [String: String]) -> Bool {
        tests.allSatisfy { $0.test(labels[$0.name] ?? "") }
    }
}
