import AsyncHTTPClient
import Dora
import Foundation
import Logging
import Neo4jFake
import Neo4jHTTP
import TwinConfig
import TwinStore

@testable import GraphProjection
@testable import Sync

/// A store in a temporary folder, a fake Neo4j on loopback, a client and a projector.
final class ProjectionHarness: Sendable {
    let folder: URL
    let store: TwinStore
    let server: Neo4jFakeServer
    let client: Neo4jClient
    let projector: GraphProjector

    var neo4j: FakeNeo4j { server.neo4j }

    init(
        store existing: TwinStore? = nil, folder existingFolder: URL? = nil, version: FakeNeo4jVersion = .v5_26,
        flavour: Neo4jAPIFlavour? = nil, batchSize: Int = 1000, maxRetries: Int = 1,
        requestTimeout: Duration = .seconds(10)
    ) async throws {
        if let existing, let existingFolder {
            folder = existingFolder
            store = existing
        } else {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("projection-\(UUID().uuidString)")
            store = try TwinStore(path: folder.appendingPathComponent("store.sqlite").path, logger: Logger(label: "test"))
        }
        server = try await Neo4jFakeServer.start(neo4j: FakeNeo4j(version: version))
        client = try Neo4jClient(
            configuration: Neo4jClientConfiguration(
                url: server.url, authentication: .basic(user: "neo4j", password: "secret"), requestTimeout: requestTimeout,
                maxRetries: maxRetries, flavour: flavour),
            httpClient: .shared, logger: Logger(label: "test"), sleep: { _ in })
        projector = GraphProjector(
            store: store, client: client, batchSize: batchSize, logger: Logger(label: "test"), now: { ProjectionFixture.base })
    }

    /// A second fake + projector over the same store (for "equals a clean rebuild" comparisons).
    func sibling(version: FakeNeo4jVersion = .v5_26, batchSize: Int = 1000) async throws -> ProjectionHarness {
        try await ProjectionHarness(store: store, folder: folder, version: version, batchSize: batchSize)
    }

    func close() async {
        await server.stop()
    }

    func removeFiles() {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Store content for projection tests; `text` transforms every free-text value (titles, names, labels, messages).
enum ProjectionFixture {
    static let repository = "octo/app"
    static let base = Date(timeIntervalSince1970: 1_700_000_000)
    static func at(hours: Double) -> Date { base.addingTimeInterval(hours * 3600) }

    static let nasty: @Sendable (String) -> String = { value in
        "\(value) \"q\" 'single' \\back\\slash } {brace} \n newline MATCH (n) DETACH DELETE n // $rows `tick`"
    }

    static func settings(repository: String = repository, text: (String) -> String = { $0 }) -> RepositorySettings {
        RepositorySettings(
            name: repository, sources: DataSources(all: repository), branch: "main", since: nil,
            definitions: DoraDefinitions(deploymentSource: .releases(includePrereleases: false), incidentRules: [[text("incident")]]))
    }

    static func sha(_ index: Int) -> String { String(format: "%040x", index + 1) }

    /// A linear history of `commits` commits (one per hour), releases every 3 commits, issues, one workflow with a
    /// run per commit.
    static func batch(repository: String = repository, commits: Int = 8, text: (String) -> String = { $0 }) -> StoreBatch {
        var batch = StoreBatch()
        for index in 0..<commits {
            batch.commits.append(
                StoredCommit(
                    repository: repository, sha: sha(index), parents: index == 0 ? [] : [sha(index - 1)],
                    authorName: text(index.isMultiple(of: 2) ? "Alice" : "Bob"), authorEmail: "dev@example.com",
                    authorLogin: index.isMultiple(of: 2) ? text("alice") : nil, committerName: text("Committer"),
                    authoredAt: at(hours: Double(index)), committedAt: at(hours: Double(index)), message: text("commit \(index)")))
            batch.workflowRuns.append(
                StoredWorkflowRun(
                    repository: repository, id: Int64(100 + index), workflowId: 10, name: text("CI"), headBranch: "main",
                    headSha: sha(index), status: "completed", conclusion: index == 4 ? "failure" : "success",
                    runNumber: index + 1, createdAt: at(hours: Double(index) + 0.1), runStartedAt: at(hours: Double(index) + 0.1),
                    updatedAt: at(hours: Double(index) + 0.2)))
        }
        var releaseIndex = 0
        for index in stride(from: 2, to: commits, by: 3) {
            releaseIndex += 1
            let tag = text("v\(releaseIndex)")
            batch.tags.append(StoredTag(repository: repository, name: tag, commitSha: sha(index)))
            batch.releases.append(
                StoredRelease(
                    repository: repository, id: Int64(releaseIndex), tagName: tag, name: text("Release \(releaseIndex)"),
                    createdAt: at(hours: Double(index) + 0.5), publishedAt: at(hours: Double(index) + 0.5), commitSha: sha(index)))
        }
        batch.workflows.append(StoredWorkflow(repository: repository, id: 10, name: text("CI"), path: ".github/workflows/ci.yml", state: "active"))
        batch.issues.append(
            StoredIssue(
                repository: repository, number: 1, id: 1001, title: text("Crash on start"), state: "closed", labels: [text("bug")],
                userLogin: text("carol"), createdAt: at(hours: 3), updatedAt: at(hours: 4), closedAt: at(hours: 4)))
        batch.issues.append(
            StoredIssue(
                repository: repository, number: 2, id: 1002, title: text("Outage after release"), state: "closed",
                labels: [text("incident"), text("bug")], userLogin: text("carol"), createdAt: at(hours: 6), updatedAt: at(hours: 7),
                closedAt: at(hours: 7)))
        return batch
    }
}
