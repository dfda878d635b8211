import Foundation

/// A regular expression with search semantics (matches anywhere unless anchored), compiled once.
struct SearchPattern {
    private let expression: NSRegularExpression

    init(_ pattern: String, option: String) throws(DoraError) {
        do {
            expression = try NSRegularExpression(pattern: pattern)
        } catch {
            throw DoraError(
                kind: .invalidPattern,
                "\(option) \"\(pattern)\" is not a valid regular expression: fix it in the repository's DORA definitions")
        }
    }

    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
