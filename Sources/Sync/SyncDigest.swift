import Foundation

/// A sync summary grouped by how repositories ended: one group per outcome and failure kind, with the
/// repositories counted, so 34 repositories stopped by one exhausted rate limit read as one line, not 34.
public struct SyncDigest: Sendable, Hashable {
    /// Repositories that ended the same way.
    public struct Group: Sendable, Hashable {
        public var outcome: SyncOutcome
        /// `RepositorySyncResult.reason`; nil for `success` and `cancelled`.
        public var reason: String?
        /// In configuration order.
        public var repositories: [String]
        /// The first repository's error text: what happened and what to do.
        public var example: String?
        /// The latest rate-limit reset among the group's repositories.
        public var resetAt: Date?
    }

    /// Successes first, then the other outcomes in the order they first appear.
    public var groups: [Group]
    /// Repositories in the summary.
    public var total: Int

    public init(_ summary: SyncSummary) {
        var groups: [Group] = []
        for result in summary.repositories {
            let reason = result.outcome == .success || result.outcome == .cancelled ? nil : result.reason ?? "other"
            if let index = groups.firstIndex(where: { $0.outcome == result.outcome && $0.reason == reason }) {
                groups[index].repositories.append(result.repository)
                if let reset = result.resetAt { groups[index].resetAt = max(groups[index].resetAt ?? reset, reset) }
            } else {
                groups.append(Group(outcome: result.outcome, reason: reason, repositories: [result.repository], example: result.error, resetAt: result.resetAt))
            }
        }
        self.groups = groups.filter { $0.outcome == .success } + groups.filter { $0.outcome != .success }
        self.total = summary.repositories.count
    }

    /// The groups that did not succeed.
    public var problems: [Group] { groups.filter { $0.outcome != .success } }

    /// One line for a group: outcome, how many repositories (named, the first few), reset time, example error.
    public func line(_ group: Group, namesShown: Int = 5) -> String {
        var text = "\(group.outcome.rawValue)"
        if let reason = group.reason, reason != group.outcome.rawValue, !(group.outcome == .rateLimited && reason == "rateLimited") {
            text += " (\(reason))"
        }
        text += ": \(group.repositories.count) of \(total) repositor\(total == 1 ? "y" : "ies")"
        let shown = group.repositories.prefix(namesShown).joined(separator: ", ")
        let more = group.repositories.count > namesShown ? " and \(group.repositories.count - namesShown) more" : ""
        text += " (\(shown)\(more))"
        if let reset = group.resetAt {
            text += "; the rate limit resets at \(reset.formatted(.iso8601))"
        }
        if let example = group.example {
            text += group.repositories.count > 1 ? "; e.g. \(example)" : "; \(example)"
        }
        return text
    }
}
