import Dora
import Foundation
import GitHubSimulator
import Sync
import Testing
import TwinConfig
import TwinStore

@Suite("Resolving tag objects for the tags deployment source")
struct SyncTagObjectTests {
    static func tagsSettings() -> RepositorySettings {
        RepositorySettings(
            name: SyncHarness.name, sources: DataSources(all: SyncHarness.name), branch: "main", since: nil,
            definitions: DoraDefinitions(deploymentSource: .tags))
    }

    /// Requests to the git database's tag refs and tag objects, from the simulator's log.
    static func tagObjectRequests(_ harness: SyncHarness, after start: Int = 0) -> [String] {
        harness.github.requestLog.dropFirst(start).map(\.pathAndQuery).filter {
            $0.contains("/git/ref/tags/") || $0.contains("/git/tags/")
        }
    }

    /// The stored tags (live) against the simulator's: tagger dates of annotated tags, nil for lightweight ones.
    static func expectTaggerDates(_ harness: SyncHarness) throws {
        let simulated = try #require(harness.github.repository(SyncHarness.name))
        let stored = try harness.store.repositoryData(SyncHarness.name).tags
        #expect(stored.count == simulated.tags.count)
        for tag in simulated.tags {
            let row = try #require(stored.first { $0.name == tag.name }, "tag \(tag.name)")
            #expect(row.commitSha == tag.commitSha, "tag \(tag.name)")
            #expect(row.taggerDate == (tag.annotated ? tag.taggerDate : nil), "tag \(tag.name)")
        }
        let feed = try harness.store.tags(repository: SyncHarness.name, afterSequence: 0, limit: 100_000)
        for tag in simulated.tags {
            let row = try #require(feed.first { $0.name == tag.name })
            #expect(row.annotated == tag.annotated, "tag \(tag.name)")
            if tag.annotated { #expect(row.tagObjectSha == tag.tagObjectSha, "tag \(tag.name)") }
        }
    }

    @Test("a tags-source sync stores the tagger dates of annotated tags and none for lightweight ones")
    func storesTaggerDates() async throws {
        try await SyncHarness.run { (harness) async throws in
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            try #require(simulated.tags.contains { $0.annotated } && simulated.tags.contains { !$0.annotated })
            let result = await harness.sync(Self.tagsSettings())
            #expect(result.outcome == .success, "\(result.error ?? "")")
            try Self.expectTaggerDates(harness)
            let requests = Self.tagObjectRequests(harness)
            #expect(requests.filter { $0.contains("/git/ref/tags/") }.count == simulated.tags.count)
            #expect(requests.filter { $0.contains("/git/tags/") }.count == simulated.tags.filter(\.annotated).count)
        }
    }

    @Test("a second tags-source sync asks for no tag refs or tag objects and changes nothing")
    func secondSyncAsksNothing() async throws {
        try await SyncHarness.run { (harness) async throws in
            #expect(await harness.sync(Self.tagsSettings()).outcome == .success)
            let start = harness.github.requestLog.count
            let sequence = try harness.store.maxSequence(repository: SyncHarness.name)
            let second = await harness.sync(Self.tagsSettings())
            #expect(second.outcome == .success, "\(second.error ?? "")")
            #expect(Self.tagObjectRequests(harness, after: start).isEmpty)
            #expect(Set(second.requests.keys) == ["304"], "\(second.requests)")
            #expect(try harness.store.maxSequence(repository: SyncHarness.name) == sequence)
            try Self.expectTaggerDates(harness)
        }
    }

    @Test("releases- and deployments-source syncs ask for no tag objects", arguments: [false, true])
    func otherSourcesAskNothing(deployments: Bool) async throws {
        try await SyncHarness.run { (harness) async throws in
            let result = await harness.sync(SyncHarness.settings(deployments: deployments))
            #expect(result.outcome == .success, "\(result.error ?? "")")
            #expect(Self.tagObjectRequests(harness).isEmpty)
            let feed = try harness.store.tags(repository: SyncHarness.name, afterSequence: 0, limit: 100_000)
            #expect(feed.allSatisfy { $0.tagObjectSha == nil && $0.taggerDate == nil })
        }
    }

    @Test("a moved tag and a new tag are resolved again; unchanged ones are not asked")
    func movedTagIsResolvedAgain() async throws {
        try await SyncHarness.run { (harness) async throws in
            #expect(await harness.sync(Self.tagsSettings()).outcome == .success)
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            let annotated = try #require(simulated.tags.first { $0.annotated })
            let lightweight = try #require(simulated.tags.first { !$0.annotated })
            let target = try #require(simulated.commits.first { $0.sha != annotated.commitSha && $0.sha != lightweight.commitSha })
            let movedDate = SyncHarness.now.addingTimeInterval(-3600)
            harness.github.update(SyncHarness.name) { repository in
                for index in repository.tags.indices where repository.tags[index].name == annotated.name {
                    repository.tags[index] = SimTag(
                        name: annotated.name, commitSha: target.sha, annotated: true,
                        tagObjectSha: String(repeating: "e", count: 40), taggerDate: movedDate)
                }
                for index in repository.tags.indices where repository.tags[index].name == lightweight.name {
                    repository.tags[index] = SimTag(name: lightweight.name, commitSha: target.sha)
                }
            }
            let start = harness.github.requestLog.count
            let result = await harness.sync(Self.tagsSettings())
            #expect(result.outcome == .success, "\(result.error ?? "")")
            try Self.expectTaggerDates(harness)
            let requests = Self.tagObjectRequests(harness, after: start)
            #expect(requests.filter { $0.contains("/git/ref/tags/") }.count == 2, "\(requests)")
            #expect(requests.filter { $0.contains("/git/tags/") } == ["/repos/\(SyncHarness.name)/git/tags/\(String(repeating: "e", count: 40))"])
            let stored = try harness.store.repositoryData(SyncHarness.name).tags
            #expect(stored.first { $0.name == annotated.name }?.taggerDate == movedDate)
        }
    }

    @Test("a sync stopped while resolving keeps what it resolved and the next one resolves only the rest")
    func stoppedResolutionResumes() async throws {
        try await SyncHarness.run { (harness) async throws in
            let simulated = try #require(harness.github.repository(SyncHarness.name))
            let resolvedFirst = 3
            try #require(simulated.tags.count > resolvedFirst)
            harness.github.inject(.primaryExhaustion(resetIn: 7200, pathContains: "/git/ref/tags/", skip: resolvedFirst, count: 1))
            let first = await harness.sync(Self.tagsSettings(), client: harness.client(maxRateLimitWait: .seconds(60)))
            #expect(first.outcome == .rateLimited)
            #expect(try harness.store.unresolvedTags(repository: SyncHarness.name).count == simulated.tags.count - resolvedFirst)

            harness.clock.advance(.seconds(7300))  // past the rate-limit reset
            let start = harness.github.requestLog.count
            let second = await harness.sync(Self.tagsSettings())
            #expect(second.outcome == .success, "\(second.error ?? "")")
            let refs = Self.tagObjectRequests(harness, after: start).filter { $0.contains("/git/ref/tags/") }
            #expect(refs.count == simulated.tags.count - resolvedFirst)
            try Self.expectTaggerDates(harness)
        }
    }
}
