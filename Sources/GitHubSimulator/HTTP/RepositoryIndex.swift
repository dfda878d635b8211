import Foundation
import Synchronization

/// Lookup tables and precomputed orders over one repository, so a page costs O(per_page).
final class RepositoryIndex: Sendable {
    let repository: SimulatedRepository
    let commitPosition: [String: Int]
    /// Commits reachable from the head of the default branch, newest first.
    let headOrder: [Int]
    let tagsOrdered: [Int]
    let tagByName: [String: Int]
    let tagByObjectSha: [String: Int]
    let releasesOrdered: [Int]
    let issuesByCreated: [Int]
    let runsNewestFirst: [Int]
    let runByID: [Int: Int]
    let workflowByID: [Int: Int]
    let deploymentsNewestFirst: [Int]
    let deploymentByID: [Int: Int]
    private let ancestorOrders: Mutex<[Int: [Int]]>

    init(_ repository: SimulatedRepository) {
        self.repository = repository
        var positions: [String: Int] = [:]
        positions.reserveCapacity(repository.commits.count)
        for (offset, commit) in repository.commits.enumerated() where positions[commit.sha] == nil {
            positions[commit.sha] = offset
        }
        commitPosition = positions
        headOrder = repository.commits.isEmpty ? [] : Self.ancestors(of: repository.commits.count - 1, commits: repository.commits, positions: positions)
        tagsOrdered = repository.tags.indices.sorted { a, b in
            repository.tags[a].name.compare(repository.tags[b].name, options: .numeric) == .orderedDescending
        }
        tagByName = Dictionary(repository.tags.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        tagByObjectSha = Dictionary(
            repository.tags.enumerated().compactMap { offset, tag in tag.tagObjectSha.map { ($0, offset) } },
            uniquingKeysWith: { first, _ in first })
        releasesOrdered = repository.releases.indices.sorted { a, b in
            let x = repository.releases[a], y = repository.releases[b]
            return (x.createdAt, x.id) > (y.createdAt, y.id)
        }
        issuesByCreated = repository.issues.indices.sorted { a, b in
            let x = repository.issues[a], y = repository.issues[b]
            return (x.createdAt, x.number) < (y.createdAt, y.number)
        }
        runsNewestFirst = repository.runs.indices.sorted { a, b in
            let x = repository.runs[a], y = repository.runs[b]
            return (x.createdAt, x.id) > (y.createdAt, y.id)
        }
        runByID = Dictionary(repository.runs.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        workflowByID = Dictionary(repository.workflows.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        deploymentsNewestFirst = repository.deployments.indices.sorted { a, b in
            let x = repository.deployments[a], y = repository.deployments[b]
            return (x.createdAt, x.id) > (y.createdAt, y.id)
        }
        deploymentByID = Dictionary(repository.deployments.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        ancestorOrders = Mutex([:])
    }

    /// Commits reachable from the commit at `start` (inclusive), newest first.
    func order(from start: Int) -> [Int] {
        if start == repository.commits.count - 1 { return headOrder }
        if let cached = ancestorOrders.withLock({ $0[start] }) { return cached }
        let computed = Self.ancestors(of: start, commits: repository.commits, positions: commitPosition)
        ancestorOrders.withLock { cache in
            if cache.count > 64 { cache.removeAll() }
            cache[start] = computed
        }
        return computed
    }

    private static func ancestors(of start: Int, commits: [SimCommit], positions: [String: Int]) -> [Int] {
        var reachable = [Bool](repeating: false, count: start + 1)
        var stack = [start]
        reachable[start] = true
        var count = 1
        while let current = stack.popLast() {
            for parent in commits[current].parents {
                guard let p = positions[parent], p <= start, !reachable[p] else { continue }
                reachable[p] = true
                count += 1
                stack.append(p)
            }
        }
        var order: [Int] = []
        order.reserveCapacity(count)
        var i = start
        while i >= 0 {
            if reachable[i] { order.append(i) }
            i -= 1
        }
        return order
    }

    /// Resolves a branch name, tag name or (abbreviated) sha to a commit position.
    func resolve(_ ref: String) -> Int? {
        if ref == repository.defaultBranch || ref == "HEAD" || ref == "refs/heads/\(repository.defaultBranch)" {
            return repository.commits.isEmpty ? nil : repository.commits.count - 1
        }
        if let position = commitPosition[ref] { return position }
        let tagName = ref.hasPrefix("refs/tags/") ? String(ref.dropFirst(10)) : ref
        if let tag = tagByName[tagName] { return commitPosition[repository.tags[tag].commitSha] }
        if ref.count >= 7, ref.count < 40, ref.allSatisfy(\.isHexDigit) {
            let lower = ref.lowercased()
            return repository.commits.indices.reversed().first { repository.commits[$0].sha.hasPrefix(lower) }
        }
        return nil
    }
}
