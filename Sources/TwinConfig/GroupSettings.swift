import Foundation

/// A group of configured repositories (a team, a service): its DORA numbers are computed from the union of
/// the members' events. Membership is resolved once, at load time, from `repositories` patterns.
public struct GroupSettings: Sendable, Hashable {
    /// The `group` label: letters, digits, `-`, `_`, `.`.
    public var name: String
    /// The patterns as written (`acme/pay-*`, `acme/ledger`).
    public var patterns: [String]
    /// The configured repositories the patterns match, in configuration order.
    public var repositories: [String]

    public init(name: String, patterns: [String], repositories: [String]) {
        self.name = name
        self.patterns = patterns
        self.repositories = repositories
    }

    /// Whether `repository` (`owner/name`) matches `pattern`: `*` any run of characters except `/`, `?` one
    /// such character, compared case-insensitively (GitHub's names are).
    public static func matches(_ repository: String, pattern: String) -> Bool {
        let name = Array(repository.lowercased())
        let glob = Array(pattern.lowercased())
        // Iterative wildcard match with backtracking to the last `*`.
        var (n, g) = (0, 0)
        var star: (glob: Int, name: Int)? = nil
        while n < name.count {
            if g < glob.count, glob[g] == "?" || glob[g] == name[n], !(glob[g] == "?" && name[n] == "/") {
                n += 1
                g += 1
            } else if g < glob.count, glob[g] == "*" {
                star = (g, n)
                g += 1
            } else if let last = star, name[last.name] != "/" {
                star = (last.glob, last.name + 1)
                n = last.name + 1
                g = last.glob + 1
            } else {
                return false
            }
        }
        while g < glob.count, glob[g] == "*" { g += 1 }
        return g == glob.count
    }
}
