import Foundation
import GRDB
import Logging
import Testing

@testable import TwinStore

@Suite("Writing to the store")
struct TwinStoreWriteTests {
    @Test("the upsert SQL updates only when a column differs or the row was deleted")
    func upsertSQLIsExact() {
        #expect(
            EntityUpsert.workflows.sql
                == "INSERT INTO workflows (repository, id, name, path, state, seq, deleted) VALUES (?, ?, ?, ?, ?, ?, 0) "
                + "ON CONFLICT(repository, id) DO UPDATE SET name = excluded.name, path = excluded.path, "
                + "state = excluded.state, seq = excluded.seq, deleted = 0 "
                + "WHERE workflows.name IS NOT excluded.name OR workflows.path IS NOT excluded.path OR "
                + "workflows.state IS NOT excluded.state OR workflows.deleted <> 0")
    }

    @Test("upserting identical content leaves seq unchanged and reports nothing stored")
    func identicalUpsertKeepsSequence() throws {
        let temporary = try TemporaryStore()
        var batch = StoreBatch()
        batch.commits = [Fixtures.commit("a"), Fixtures.commit("b", parents: ["a"])]
        let first = try temporary.store.apply(batch)
        #expect(first.stored[.commits] == 2)
        let second = try temporary.store.apply(batch)
        #expect(second.stored[.commits] == nil)
        #expect(try temporary.store.maxSequence(repository: Fixtures.repository) == 2)
        let rows = try temporary.store.commits(repository: Fixtures.repository, afterSequence: 0, limit: 10)
        #expect(rows.map(\.seq) == [1, 2])
    }

    @Test("a changed row gets the next seq and moves to the end of the change feed")
    func changedRowBumpsSequence() throws {
        let temporary = try TemporaryStore()
        var batch = StoreBatch()
        batch.commits = [Fixtures.commit("a"), Fixtures.commit("b", parents: ["a"])]
        try temporary.store.apply(batch)
        batch.commits = [Fixtures.commit("a", message: "reworded")]
        let result = try temporary.store.apply(batch)
        #expect(result.stored[.commits] == 1)
        let feed = try temporary.store.commits(repository: Fixtures.repository, afterSequence: 0, limit: 10)
        #expect(feed.map(\.sha) == ["b", "a"])
        #expect(feed.map(\.seq) == [2, 3])
        #expect(feed.last?.message == "reworded")
        let after = try temporary.store.commits(repository: Fixtures.repository, afterSequence: 2, limit: 10)
        #expect(after.map(\.sha) == ["a"])
    }

    @Test("the change feed is ordered by seq across a limit")
    func changeFeedPagesBySequence() throws {
        let temporary = try TemporaryStore()
        var batch = StoreBatch()
        batch.commits = (0..<5).map { Fixtures.commit("c\($0)") }
        try temporary.store.apply(batch)
        let page1 = try temporary.store.commits(repository: Fixtures.repository, afterSequence: 0, limit: 2)
        let page2 = try temporary.store.commits(repository: Fixtures.repository, afterSequence: page1.last!.seq, limit: 2)
        #expect(page1.map(\.sha) == ["c0", "c1"])
        #expect(page2.map(\.sha) == ["c2", "c3"])
    }

    @Test("commits unreachable from the head are soft-deleted with a new seq, and revived when seen again")
    func unreachableCommitsAreSoftDeleted() throws {
        let temporary = try TemporaryStore()
        var batch = StoreBatch()
        batch.commits = [
            Fixtures.commit("a"), Fixtures.commit("b", parents: ["a"]), Fixtures.commit("c", parents: ["b"]),
            Fixtures.commit("x", parents: ["b"]),
        ]
        try temporary.store.apply(batch)
        var deletion = StoreBatch()
        deletion.softDeletions = [.commitsUnreachable(repository: Fixtures.repository, head: "x")]
        let result = try temporary.store.apply(deletion)
        #expect(result.deleted[.commits] == 1)
        let data = try temporary.store.repositoryData(Fixtures.repository)
        #expect(Set(data.commits.map(\.sha)) == ["a", "b", "x"])
        let feed = try temporary.store.commits(repository: Fixtures.repository, afterSequence: 4, limit: 10)
        #expect(feed.map(\.sha) == ["c"])
        #expect(feed.first?.deleted == true)
        var revive = StoreBatch()
        revive.commits = [Fixtures.commit("c", parents: ["b"])]
        #expect(try temporary.store.apply(revive).stored[.commits] == 1)
        #expect(try temporary.store.entityCounts(Fixtures.repository)["commits"] == 4)
    }

    @Test("rows missing from a complete listing are soft-deleted, others kept")
    func missingRowsAreSoftDeleted() throws {
        let temporary = try TemporaryStore()
        var batch = StoreBatch()
        batch.releases = [1, 2, 3].map {
            StoredRelease(
                repository: Fixtures.repository, id: $0, tagName: "v\($0)", createdAt: Fixtures.date(1),
                publishedAt: nil, commitSha: nil)
        }
        try temporary.store.apply(batch)
        var deletion = StoreBatch()
        deletion.softDeletions = [.missing(repository: Fixtures.repository, entity: .releases, keep: ["1", "3"])]
        #expect(try temporary.store.apply(deletion).deleted[.releases] == 1)
        #expect(try temporary.store.repositoryData(Fixtures.repository).releases.map(\.id) == [1, 3])
    }

    @Test("release commits follow their tags' peeled commits")
    func releaseCommitsFollowTags() throws {
        let temporary = try TemporaryStore()
        var batch = StoreBatch()
        batch.tags = [StoredTag(repository: Fixtures.repository, name: "v1", commitSha: "peeled")]
        batch.releases = [
            StoredRelease(
                repository: Fixtures.repository, id: 7, tagName: "v1", createdAt: Fixtures.date(1),
                publishedAt: Fixtures.date(2), targetCommitish: "main", commitSha: nil)
        ]
        batch.refreshReleaseCommits = [Fixtures.repository]
        try temporary.store.apply(batch)
        #expect(try temporary.store.repositoryData(Fixtures.repository).releases.first?.commitSha == "peeled")
    }

    @Test("a batch's cursor and cache entries are written with its rows, and a nil cursor removes it")
    func cursorsAndCacheTravelWithRows() throws {
        let temporary = try TemporaryStore()
        var batch = StoreBatch()
        batch.commits = [Fixtures.commit("a")]
        batch.cursors = [.init(repository: Fixtures.repository, stream: "commits", state: #"{"next":"u2"}"#)]
        batch.httpCache = [HTTPCacheEntry(url: "u1", etag: "\"e1\"", nextURL: "u2", itemKeys: ["a"])]
        try temporary.store.apply(batch)
        #expect(try temporary.store.cursor(repository: Fixtures.repository, stream: "commits") == #"{"next":"u2"}"#)
        #expect(
            try temporary.store.httpCacheEntry(url: "u1")
                == HTTPCacheEntry(url: "u1", etag: "\"e1\"", nextURL: "u2", itemKeys: ["a"]))
        var clear = StoreBatch()
        clear.cursors = [.init(repository: Fixtures.repository, stream: "commits", state: nil)]
        try temporary.store.apply(clear)
        #expect(try temporary.store.cursor(repository: Fixtures.repository, stream: "commits") == nil)
    }

    @Test("a deployment status update bumps seq only when the state changes")
    func deploymentStatusUpdates() throws {
        let temporary = try TemporaryStore()
        var batch = StoreBatch()
        batch.deployments = [
            StoredDeployment(
                repository: Fixtures.repository, id: 5, sha: "s", ref: "main", environment: "production",
                createdAt: Fixtures.date(1), updatedAt: Fixtures.date(1))
        ]
        try temporary.store.apply(batch)
        var status = StoreBatch()
        status.deploymentStatuses = [
            .init(repository: Fixtures.repository, deploymentId: 5, state: "success", at: Fixtures.date(3))
        ]
        #expect(try temporary.store.apply(status).stored[.deployments] == 1)
        #expect(try temporary.store.apply(status).stored[.deployments] == nil)
        // Re-listing the deployment must not wipe its status.
        try temporary.store.apply(batch)
        let deployment = try #require(try temporary.store.repositoryData(Fixtures.repository).deployments.first)
        #expect(deployment.latestState == "success")
        #expect(deployment.latestStateAt == Fixtures.date(3))
    }
}
