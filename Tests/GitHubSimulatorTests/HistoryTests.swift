import Foundation
import GitHubSimulator
import Testing

@Suite("Repositories from recorded histories")
struct HistoryTests {
    @Test("flask loads with its real commit and tag counts", arguments: [
        ("pallets-flask", 5531, 60, "main"),
        ("prometheus-node_exporter", 2532, 37, "master"),
    ])
    func loadsHistory(file: String, commits: Int, tags: Int, branch: String) throws {
        let repository = try SimulatedRepository.fromHistory(fileURL: Fixtures.history(file), owner: "o", name: file, seed: 1)
        #expect(repository.commits.count == commits)
        #expect(repository.tags.count == tags)
        #expect(repository.releases.count == tags)
        #expect(repository.defaultBranch == branch)
        #expect(repository.releases.allSatisfy { $0.publishedAt != nil && !$0.draft })
        #expect(!repository.issues.isEmpty && !repository.runs.isEmpty && !repository.deployments.isEmpty)
        let again = try SimulatedRepository.fromHistory(fileURL: Fixtures.history(file), owner: "o", name: file, seed: 1)
        #expect(again == repository)
    }

    @Test("the head of the history file is the head of the branch")
    func headIsLast() throws {
        let url = Fixtures.history("pallets-flask")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let repository = try SimulatedRepository.fromHistory(fileURL: url, owner: "pallets", name: "flask", seed: 1)
        #expect(repository.headSha == root["head"] as? String)
    }

    @Test("a missing file is reported with what to do")
    func missingFile() {
        #expect(throws: GitHubSimulatorError.self) {
            try SimulatedRepository.fromHistory(fileURL: URL(fileURLWithPath: "/nonexistent/history.json"), owner: "o", name: "r", seed: 1)
        }
    }
}
