import Foundation
import Testing

@testable import TwinStore

@Suite("Resolved tag objects in the store")
struct TagObjectTests {
    static let repository = Fixtures.repository

    static func listed(_ name: String, _ commit: String) -> StoredTag {
        StoredTag(repository: repository, name: name, commitSha: commit)
    }

    static func annotated(_ name: String, _ commit: String, object: String, at seconds: Double) -> StoredTag {
        StoredTag(
            repository: repository, name: name, commitSha: commit, annotated: true, tagObjectSha: object,
            taggerDate: Fixtures.date(seconds))
    }

    static func lightweight(_ name: String, _ commit: String) -> StoredTag {
        StoredTag(repository: repository, name: name, commitSha: commit, tagObjectSha: commit)
    }

    @discardableResult
    static func apply(_ store: TwinStore, tags: [StoredTag]) throws -> StoreBatchResult {
        var batch = StoreBatch()
        batch.tags = tags
        return try store.apply(batch)
    }

    static func row(_ store: TwinStore, _ name: String) throws -> StoredTag? {
        try store.tags(repository: repository, afterSequence: 0, limit: 100).first { $0.name == name }
    }

    @Test("an unchanged listing upsert keeps the resolved tag object, tagger date and seq")
    func listingKeepsResolution() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try Self.apply(store, tags: [Self.listed("v1", "c1"), Self.listed("v2", "c2")])
        #expect(try store.unresolvedTags(repository: Self.repository).map(\.name) == ["v1", "v2"])

        let resolved = try Self.apply(store, tags: [Self.annotated("v1", "c1", object: "t1", at: 500), Self.lightweight("v2", "c2")])
        #expect(resolved.stored[.tags] == 2)
        let sequence = try store.maxSequence(repository: Self.repository)
        #expect(try store.unresolvedTags(repository: Self.repository).isEmpty)

        let relisted = try Self.apply(store, tags: [Self.listed("v1", "c1"), Self.listed("v2", "c2")])
        #expect(relisted.stored[.tags] == nil)
        #expect(try store.maxSequence(repository: Self.repository) == sequence)
        let v1 = try #require(try Self.row(store, "v1"))
        #expect(v1.annotated && v1.tagObjectSha == "t1" && v1.taggerDate == Fixtures.date(500))
        let v2 = try #require(try Self.row(store, "v2"))
        #expect(!v2.annotated && v2.tagObjectSha == "c2" && v2.taggerDate == nil)
        #expect(try store.repositoryData(Self.repository).tags.map(\.taggerDate) == [Fixtures.date(500), nil])
    }

    @Test(
        "a moved or revived tag loses its resolution and gets a new seq",
        arguments: [("moved", true), ("revived", false)])
    func movedOrRevivedTagIsUnresolved(_ label: String, moved: Bool) throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try Self.apply(store, tags: [Self.annotated("v1", "c1", object: "t1", at: 500)])
        if !moved {
            var batch = StoreBatch()
            batch.softDeletions = [.missing(repository: Self.repository, entity: .tags, keep: [])]
            try store.apply(batch)
        }
        let sequence = try store.maxSequence(repository: Self.repository)

        let result = try Self.apply(store, tags: [Self.listed("v1", moved ? "c9" : "c1")])
        #expect(result.stored[.tags] == 1, "\(label)")
        let row = try #require(try Self.row(store, "v1"))
        #expect(row.seq > sequence)
        #expect(!row.deleted && !row.annotated && row.tagObjectSha == nil && row.taggerDate == nil)
        #expect(try store.unresolvedTags(repository: Self.repository).map(\.commitSha) == [moved ? "c9" : "c1"])
    }

    @Test("a changed resolution for the same commit is stored; an identical one keeps seq")
    func resolutionUpdates() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try Self.apply(store, tags: [Self.annotated("v1", "c1", object: "t1", at: 500)])
        #expect(try Self.apply(store, tags: [Self.annotated("v1", "c1", object: "t1", at: 500)]).stored[.tags] == nil)
        #expect(try Self.apply(store, tags: [Self.annotated("v1", "c1", object: "t2", at: 600)]).stored[.tags] == 1)
        #expect(try Self.row(store, "v1")?.taggerDate == Fixtures.date(600))
    }

    @Test("soft-deleted tags are not offered for resolution")
    func deletedTagsAreNotUnresolved() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try Self.apply(store, tags: [Self.listed("v1", "c1"), Self.listed("v2", "c2")])
        var batch = StoreBatch()
        batch.softDeletions = [.missing(repository: Self.repository, entity: .tags, keep: ["v2"])]
        try store.apply(batch)
        #expect(try store.unresolvedTags(repository: Self.repository).map(\.name) == ["v2"])
    }
}
