import Foundation
import GitHubAPI
import TwinStore

extension RepositorySyncJob {
    /// Walks a complete listing page by page with per-page ETags. A 304 page is known unchanged: its item keys
    /// and next URL come from the cache, so the walk continues and still knows every key of the listing.
    /// Each 200 page is stored with its cache entry in one transaction. Returns whether any page changed and
    /// the keys of the complete listing.
    func walkListing<Item>(
        entity: String, firstURL: String, decode: (GitHubResponse) throws -> [Item], key: (Item) -> String,
        batch makeBatch: ([Item]) async throws -> StoreBatch
    ) async throws -> (changed: Bool, keys: Set<String>) {
        var url: String? = firstURL
        var changed = false
        var keys: Set<String> = []
        var visited: Set<String> = []
        while let current = url, visited.insert(current).inserted {
            let cached = try store.httpCacheEntry(url: current)
            let response = try await get(current, etag: cached?.etag, entity: entity)
            if response.status == 304, let cached {
                keys.formUnion(cached.itemKeys)
                url = cached.nextURL
                continue
            }
            let pageItems = try decode(response)
            count(entity, fetched: pageItems.count)
            let pageKeys = pageItems.map(key)
            keys.formUnion(pageKeys)
            var batch = try await makeBatch(pageItems)
            batch.httpCache.append(
                HTTPCacheEntry(url: current, etag: response.etag, nextURL: response.nextURL, itemKeys: pageKeys))
            try apply(batch)
            changed = true
            url = response.nextURL
        }
        return (changed, keys)
    }

    /// Tags with their peeled commits (`/tags`); tags gone from a complete listing are soft-deleted.
    func syncTags(source: String) async throws {
        let listing = try await walkListing(
            entity: "tags", firstURL: "/repos/\(source)/tags?per_page=100",
            decode: { try client.decode([GitHubTag].self, from: $0) }, key: \.name
        ) { tags in
            var batch = StoreBatch()
            batch.tags = tags.map { StoredTag(repository: repository, name: $0.name, commitSha: $0.commit.sha) }
            batch.refreshReleaseCommits = [repository]
            return batch
        }
        if listing.changed {
            var batch = StoreBatch()
            batch.softDeletions = [.missing(repository: repository, entity: .tags, keep: listing.keys)]
            batch.refreshReleaseCommits = [repository]
            try apply(batch)
        }
    }

    /// Whether each live tag not yet resolved is annotated, and its tagger date (only for the `tags` deployment
    /// source; the `/tags` listing does not say). `GET /git/ref/tags/{name}`, then, for an annotated tag,
    /// `GET /git/tags/{sha}` (repeated while the object is a tag; the outermost tag object's tagger date is
    /// kept). Tag objects are immutable, so each (name, commit) is resolved once; a moved tag is resolved
    /// again. Each resolution is stored in its own transaction, so a stopped sync resumes with the rest.
    func syncTagObjects(source: String) async throws {
        let unresolved = try store.unresolvedTags(repository: repository)
        guard !unresolved.isEmpty else { return }
        logger.debug("resolving tag objects", metadata: ["tags": "\(unresolved.count)"])
        for tag in unresolved {
            guard let resolved = try await resolveTagObject(tag, source: source) else { continue }
            var batch = StoreBatch()
            batch.tags = [resolved]
            try apply(batch)
        }
    }

    /// The tag with its resolution: annotated with its tag object and tagger date, or lightweight (the tag
    /// object sha is then the commit itself, the store's "resolved" marker). Nil when the tag is gone or has
    /// moved since the listing (the next listing brings the change, and the tag is resolved then).
    func resolveTagObject(_ tag: StoredTag, source: String) async throws -> StoredTag? {
        guard let peeled = try await peelTag(tag.name, source: source, entity: "tags") else { return nil }
        if peeled.target.type == "commit", peeled.target.sha != tag.commitSha {
            logger.debug("tag moved since the listing", metadata: ["tag": "\(tag.name)"])
            return nil
        }
        var resolved = tag
        resolved.annotated = peeled.tagObjectSha != nil
        resolved.tagObjectSha = peeled.tagObjectSha ?? tag.commitSha
        resolved.taggerDate = peeled.taggerDate
        return resolved
    }

    /// A tag peeled through the git database: `GET /git/ref/tags/{name}`, then `GET /git/tags/{sha}` while the
    /// object is a tag (at most 8 levels). The one peeler of both the tags and the releases sync.
    struct PeeledTag {
        /// The outermost tag object, nil for a lightweight tag.
        var tagObjectSha: String?
        /// The outermost tag object's tagger date.
        var taggerDate: Date?
        /// What the tag finally points at (a commit, normally).
        var target: GitHubGitObject
    }

    /// Nil when the tag does not exist.
    func peelTag(_ name: String, source: String, entity: String) async throws -> PeeledTag? {
        do {
            let refResponse = try await get("/repos/\(source)/git/ref/tags/\(QueryText.path(name))", etag: nil, entity: entity)
            var object = try client.decode(GitHubGitRef.self, from: refResponse).object
            var peeled = PeeledTag(tagObjectSha: object.type == "tag" ? object.sha : nil, taggerDate: nil, target: object)
            var depth = 0
            while object.type == "tag" && depth < 8 {
                let tagResponse = try await get("/repos/\(source)/git/tags/\(object.sha)", etag: nil, entity: entity)
                let tagObject = try client.decode(GitHubGitTag.self, from: tagResponse)
                if depth == 0 { peeled.taggerDate = tagObject.tagger?.date }
                object = tagObject.object
                depth += 1
            }
            peeled.target = object
            return peeled
        } catch let error as GitHubError where error.kind == .notFound {
            logger.debug("tag not found", metadata: ["tag": "\(name)"])
            return nil
        }
    }

    /// Releases (`/releases`); each one's commit is its tag's peeled commit from the tags listing, or for tags
    /// missing there `/git/ref/tags/{tag}` then `/git/tags/{sha}` while the object is a tag. Never
    /// `target_commitish`. Releases gone from a complete listing are soft-deleted.
    func syncReleases(source: String) async throws {
        let known = try store.releaseCommits(repository: repository)
        let listing = try await walkListing(
            entity: "releases", firstURL: "/repos/\(source)/releases?per_page=100",
            decode: { try client.decode([GitHubRelease].self, from: $0) }, key: { String($0.id) }
        ) { releases in
            let tags = try store.tagCommits(repository: repository)
            var batch = StoreBatch()
            for release in releases {
                var commit = tags[release.tagName]
                if commit == nil, let previous = known[release.id], previous.tagName == release.tagName {
                    commit = previous.commitSha
                }
                if commit == nil, !release.draft {
                    commit = try await resolveTag(release.tagName, source: source)
                }
                batch.releases.append(
                    StoredRelease(
                        repository: repository, id: release.id, tagName: release.tagName, name: release.name,
                        draft: release.draft, prerelease: release.prerelease, createdAt: release.createdAt,
                        publishedAt: release.publishedAt, targetCommitish: release.targetCommitish, commitSha: commit))
            }
            return batch
        }
        if listing.changed {
            var batch = StoreBatch()
            batch.softDeletions = [.missing(repository: repository, entity: .releases, keep: listing.keys)]
            try apply(batch)
        }
    }

    /// The commit a release's tag points at, peeled through the git database; nil when the tag does not exist.
    func resolveTag(_ name: String, source: String) async throws -> String? {
        guard let peeled = try await peelTag(name, source: source, entity: "releases") else { return nil }
        return peeled.target.type == "commit" ? peeled.target.sha : nil
    }

    /// Workflows (`/actions/workflows`).
    func syncWorkflows(source: String) async throws {
        let listing = try await walkListing(
            entity: "workflows", firstURL: "/repos/\(source)/actions/workflows?per_page=100",
            decode: { try client.decode(GitHubWorkflowList.self, from: $0).workflows }, key: { String($0.id) }
        ) { workflows in
            var batch = StoreBatch()
            batch.workflows = workflows.map {
                StoredWorkflow(repository: repository, id: $0.id, name: $0.name, path: $0.path, state: $0.state)
            }
            return batch
        }
        if listing.changed {
            var batch = StoreBatch()
            batch.softDeletions = [.missing(repository: repository, entity: .workflows, keep: listing.keys)]
            try apply(batch)
        }
    }

    /// Deployments (`/deployments`, created at or after the `since` horizon) and every status of each one that
    /// has no `success` status yet (`/deployments/{id}/statuses`, with ETags: an unchanged one is a `304`).
    /// Once a deployment has a success its outcome is fixed (spec v1.2: dated by its first success; a later
    /// `inactive` only marks it superseded), so it is not asked again. A deployment whose statuses were stored
    /// before the store kept every status is fetched once without `If-None-Match`.
    func syncDeployments(source: String) async throws {
        let horizon = settings.since
        let listing = try await walkListing(
            entity: "deployments", firstURL: "/repos/\(source)/deployments?per_page=100",
            decode: { try client.decode([GitHubDeployment].self, from: $0) }, key: { String($0.id) }
        ) { deployments in
            var batch = StoreBatch()
            batch.deployments = deployments.filter { horizon == nil || $0.createdAt >= horizon! }.map {
                StoredDeployment(
                    repository: repository, id: $0.id, sha: $0.sha, ref: $0.ref, environment: $0.environment,
                    createdAt: $0.createdAt, updatedAt: $0.updatedAt)
            }
            return batch
        }
        if listing.changed {
            var batch = StoreBatch()
            batch.softDeletions = [.missing(repository: repository, entity: .deployments, keep: listing.keys)]
            try apply(batch)
        }
        for deployment in try store.deploymentStatusProgress(repository: repository) where !deployment.succeeded {
            let url = "/repos/\(source)/deployments/\(deployment.id)/statuses?per_page=100"
            let etag = deployment.statusesSynced ? try store.httpCacheEntry(url: url)?.etag : nil
            let response = try await get(url, etag: etag, entity: "deployments")
            guard response.status == 200 else { continue }
            let statuses = try client.decode([GitHubDeploymentStatus].self, from: response)
            var batch = StoreBatch()
            batch.deploymentStatusHistories = [
                .init(
                    repository: repository, deploymentId: deployment.id,
                    statuses: statuses.map { .init(id: $0.id, state: $0.state, createdAt: $0.createdAt) })
            ]
            batch.httpCache = [HTTPCacheEntry(url: url, etag: response.etag, nextURL: nil)]
            try apply(batch)
        }
    }
}
