import Foundation

/// The incident rules: each rule a set of labels that must all be present (AND), rules OR'ed,
/// label names compared case-insensitively. A rule element may itself be written `"bug&prod"`.
/// A rule with no labels matches nothing.
struct IncidentRules {
    private let rules: [Set<String>]

    init(_ rules: [[String]]) {
        self.rules = rules.compactMap { rule in
            let labels = rule.flatMap { $0.split(separator: "&") }
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.isEmpty }
            return labels.isEmpty ? nil : Set(labels)
        }
    }

    func matches(_ labels: [String]) -> Bool {
        if rules.isEmpty || labels.isEmpty { return false }
        let present = Set(labels.map { $0.lowercased() })
        return rules.contains { $0.isSubset(of: present) }
    }
}
