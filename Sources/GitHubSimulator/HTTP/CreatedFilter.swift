import Foundation

/// GitHub's search date syntax for the runs `created` filter: `>=D`, `>D`, `<=D`, `<D`, `D..D`, `*..D`, `D..*`, `D`.
/// A date without a time covers that whole day (UTC).
struct CreatedFilter {
    var lower: Date?
    var lowerInclusive = true
    var upper: Date?
    var upperInclusive = true

    init?(_ text: String) {
        let value = text.trimmingCharacters(in: .whitespaces)
        func bound(_ s: String, upper: Bool) -> (Date, dateOnly: Bool)?? {
            if s == "*" { return .some(nil) }
            guard let date = GitHubDate.parse(s) else { return nil }
            return .some((date, s.count == 10))
        }
        if let range = value.range(of: "..") {
            guard let low = bound(String(value[..<range.lowerBound]), upper: false),
                let high = bound(String(value[range.upperBound...]), upper: true)
            else { return nil }
            if let low { lower = low.0 }
            if let high {
                if high.dateOnly {
                    upper = high.0.addingTimeInterval(86_400)
                    upperInclusive = false
                } else {
                    upper = high.0
                }
            }
            return
        }
        for op in [">=", "<=", ">", "<"] where value.hasPrefix(op) {
            guard let parsed = bound(String(value.dropFirst(op.count)), upper: op.hasPrefix("<")), let (date, dateOnly) = parsed else {
                return nil
            }
            switch op {
            case ">=": lower = date
            case ">":
                lower = dateOnly ? date.addingTimeInterval(86_400) : date
                lowerInclusive = dateOnly
            case "<=":
                upper = dateOnly ? date.addingTimeInterval(86_400) : date
                upperInclusive = !dateOnly
            default:
                upper = date
                upperInclusive = false
            }
            return
        }
        guard let date = GitHubDate.parse(value) else { return nil }
        lower = date
        if value.count == 10 {
            upper = date.addingTimeInterval(86_400)
            upperInclusive = false
        } else {
            upper = date
        }
    }

    func contains(_ date: Date) -> Bool {
        if let lower {
            if lowerInclusive ? date < lower : date <= lower { return false }
        }
        if let upper {
            if upperInclusive ? date > upper : date >= upper { return false }
        }
        return true
    }
}
