import Foundation
import Testing

@testable import Dora

/// The fast lead-time walk against a deliberately simple reference on real commit graphs
/// (`Tests/Fixtures/histories`): per deployment, all ancestors minus everything deployed earlier.
@Suite struct RealHistoryTests {
    struct History: Sendable {
        var name: String
        var commits: [CommitRecord]
        var tags: [TagRecord]
        var tagRegex: String
    }

    static let historiesFolder: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures/histories").standardizedFileURL

    static func load(_ file: String) throws -> History {
        let data = try Data(contentsOf: historiesFolder.appendingPathComponent(file))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(root["commits"] as? [[Any]])
        let commits = try rows.map { row in
            let sha = try #require(row[0] as? String)
            let parents = try #require(row[1] as? [String])
            let authored = try #require((row[2] as? NSNumber)?.doubleValue)
            let committed = try #require((row[3] as? NSNumber)?.doubleValue)
            return CommitRecord(
                sha: sha, parents: parents, authoredAt: Date(timeIntervalSince1970: authored),
                committedAt: Date(timeIntervalSince1970: committed))
        }
        let tagRows = try #require(root["tags"] as? [[Any]])
        let tags = try tagRows.map { row in
            TagRecord(
                name: try #require(row[0] as? String), commitSha: try #require(row[1] as? String),
                taggerDate: (row[3] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) })
        }
        return History(name: file, commits: commits, tags: tags, tagRegex: try #require(root["tag_regex"] as? String))
    }

    /// The reference: sets and a breadth-first walk per deployment, no cleverness.
    static func reference(_ history: History, asOf: Date) throws -> [(sha: String, firstDeployed: Set<String>)] {
        let known = history.commits.filter { $0.committedAt < asOf }
        var parents: [String: [String]] = [:]
        var committedAt: [String: Date] = [:]
        for commit in known {
            parents[commit.sha] = commit.parents
            committedAt[commit.sha] = commit.committedAt
        }
        let regex = try NSRegularExpression(pattern: history.tagRegex)
        var deployments: [(time: Date, sha: String, name: String)] = []
        for tag in history.tags {
            guard regex.firstMatch(in: tag.name, range: NSRange(tag.name.startIndex..., in: tag.name)) != nil,
                let time = tag.taggerDate ?? committedAt[tag.commitSha], time < asOf
            else { continue }
            deployments.append((time, tag.commitSha, tag.name))
        }
        deployments.sort { ($0.time, $0.sha, "tag:" + $0.name) < ($1.time, $1.sha, "tag:" + $1.name) }
        var deployed = Set<String>()
        var result: [(sha: String, firstDeployed: Set<String>)] = []
        for deployment in deployments {
            var ancestors = Set<String>()
            var queue = parents[deployment.sha] == nil ? [] : [deployment.sha]
            while let sha = queue.popLast() {
                guard ancestors.insert(sha).inserted else { continue }
                queue.append(contentsOf: (parents[sha] ?? []).filter { parents[$0] != nil })
            }
            result.append((deployment.sha, ancestors.subtracting(deployed)))
            deployed.formUnion(ancestors)
        }
        return result
    }

    @Test(arguments: ["pallets-flask-history.json", "prometheus-node_exporter-history.json"])
    func fastWalkAgreesWithTheReference(_ file: String) throws {
        let history = try Self.load(file)
        let end = try #require(history.commits.map(\.committedAt).max()).addingTimeInterval(1)
        let start = try #require(history.commits.map(\.committedAt).min())
        let middle = Date(timeIntervalSince1970: (start.timeIntervalSince1970 + end.timeIntervalSince1970) / 2)
        let data = RepositoryData(repository: file, commits: history.commits, tags: history.tags)
        let definitions = DoraDefinitions(deploymentSource: .tags, deploymentPattern: history.tagRegex)
        for asOf in [middle, end] {
            let expected = try Self.reference(history, asOf: asOf)
            let timeline = try DoraEngine.timeline(for: data, definitions: definitions, asOf: asOf)
            #expect(timeline.deployments.count == expected.count)
            #expect(timeline.deployments.count > 5)
            for (deployment, reference) in zip(timeline.deployments, expected) {
                #expect(deployment.commitSha == reference.sha)
                #expect(Set(deployment.firstDeployed.map(\.sha)) == reference.firstDeployed, "\(deployment.key)")
                #expect(deployment.firstDeployed.count == reference.firstDeployed.count)
            }
            // The report's lead-time samples are exactly the positive first-deployed lead times after the baseline.
            let report = try DoraEngine.report(for: data, definitions: definitions, windows: [.all], asOf: asOf)
            let leads = timeline.deployments.dropFirst().flatMap(\.firstDeployed).map(\.leadTimeSeconds)
            #expect(report.windows[0].leadTime.samples == leads.filter { $0 > 0 }.count)
            #expect(report.windows[0].skewedCommits == leads.filter { $0 <= 0 }.count)
        }
    }
}
