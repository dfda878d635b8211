import Foundation

extension SimulatedRepository {
    /// How many items each listing a full sync back to `since` (nil: everything) reads, by stream: `commits`
    /// (reachable from the default branch's head, committed since), `tags`, `releases`, `issues` (pull requests
    /// included, as GitHub lists them; updated since), `workflows`, `workflow_runs` (created since),
    /// `deployments` (created since). What a sync's minimum of requests is counted from (benchmarks).
    public func contentCounts(since: Date? = nil) -> [String: Int] {
        var parents: [String: [String]] = [:]
        for commit in commits { parents[commit.sha] = commit.parents }
        var reachable: Set<String> = []
        var stack = headSha.map { [$0] } ?? []
        while let sha = stack.popLast() {
            guard reachable.insert(sha).inserted else { continue }
            for parent in parents[sha] ?? [] where !reachable.contains(parent) { stack.append(parent) }
        }
        func recent(_ date: Date) -> Bool { since.map { date >= $0 } ?? true }
        return [
            "commits": commits.filter { reachable.contains($0.sha) && recent($0.committerDate) }.count,
            "tags": tags.count, "releases": releases.count, "issues": issues.filter { recent($0.updatedAt) }.count,
            "workflows": workflows.count, "workflow_runs": runs.filter { recent($0.createdAt) }.count,
            "deployments": deployments.filter { recent($0.createdAt) }.count,
        ]
    }

    /// The fewest list pages (100 items a page, at least one) a full sync back to `since` needs for each stream of
    /// `contentCounts` but deployments, and one `repository` request (none for a discovered repository: its
    /// listing describes it).
    public func minimumPages(since: Date? = nil, discovered: Bool = false) -> [String: Int] {
        var pages = contentCounts(since: since).mapValues { max(1, ($0 + 99) / 100) }
        pages["deployments"] = nil
        pages["repository"] = discovered ? 0 : 1
        return pages
    }
}
