import Foundation
import GRDB

/// Tag objects: whether a tag is annotated and its tagger date, which the `/tags` listing does not say.
///
/// A tag is *resolved* once its ref has been looked up for its current commit. Resolution is recorded without
/// a schema change: `tag_object_sha` is the object the tag ref points to — the tag object for an annotated
/// tag, the commit itself (`tag_object_sha = commit_sha`) for a lightweight one — and NULL while unresolved.
/// A listing upsert keeps the resolution while the tag's commit is unchanged and clears it when the tag
/// moved (or comes back after a soft delete), so the tag is resolved again.
extension TwinStore {
    /// Live tags of the repository not resolved yet (`tag_object_sha` NULL), by name.
    public func unresolvedTags(repository: String) throws(TwinStoreError) -> [StoredTag] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT repository, name, commit_sha, annotated, tag_object_sha, tagger_date, seq, deleted FROM tags
                    WHERE repository = ? AND deleted = 0 AND tag_object_sha IS NULL ORDER BY name
                    """,
                arguments: [repository]
            ).map { row in
                StoredTag(
                    repository: row["repository"], name: row["name"], commitSha: row["commit_sha"],
                    annotated: row["annotated"], tagObjectSha: row["tag_object_sha"],
                    taggerDate: row.optionalDate("tagger_date"), seq: row["seq"], deleted: row["deleted"])
            }
        }
    }
}

extension EntityUpsert {
    /// The tags upsert. A row that carries no resolution (not annotated, no tag object, no tagger date: what the
    /// `/tags` listing gives) keeps the stored resolution while the commit is unchanged and the row is live; a
    /// moved or revived tag takes the row as given (resolution cleared). A row that carries a resolution is
    /// stored as given. `seq` moves only when the stored content changes.
    static let tagsSQL: String = {
        let carries = "(excluded.annotated <> 0 OR excluded.tag_object_sha IS NOT NULL OR excluded.tagger_date IS NOT NULL)"
        let keep = "(tags.deleted = 0 AND tags.commit_sha IS excluded.commit_sha AND NOT \(carries))"
        let resolution = ["annotated", "tag_object_sha", "tagger_date"]
        let assignments = resolution.map { "\($0) = CASE WHEN \(keep) THEN tags.\($0) ELSE excluded.\($0) END" }
        let differs = resolution.map { "tags.\($0) IS NOT excluded.\($0)" }.joined(separator: " OR ")
        return "INSERT INTO tags (repository, name, commit_sha, annotated, tag_object_sha, tagger_date, seq, deleted) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT(repository, name) DO UPDATE SET commit_sha = excluded.commit_sha, "
            + assignments.joined(separator: ", ") + ", seq = excluded.seq, deleted = 0 "
            + "WHERE tags.deleted <> 0 OR tags.commit_sha IS NOT excluded.commit_sha OR (\(carries) AND (\(differs)))"
    }()
}
