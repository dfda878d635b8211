import Foundation
import GitHubAPI
import TwinStore

extension RepositorySyncJob {
    /// Commits of the tracked branch, newest first, page by page.
    ///
    /// Page 1 is requested with its ETag: 304 means the branch has not moved since the last completed walk.
    /// Otherwise the walk follows Link rel="next" verbatim until every parent of a walked commit is stored
    /// (the frontier is empty) or the listing ends (the `since` horizon). Each page is committed with the
    /// cursor (next URL and frontier), so an interrupted walk resumes where it stopped; a new walk starts only
    /// after the unfinished one completed, so it never stops early at commits of an incomplete walk.
    /// When a walk completes, commits no longer reachable from its head (a force-push) are soft-deleted.
    ///
    /// `depth` (progressive sync): a shallow first walk is the whole walk stopped after the first page that
    /// reaches back past the horizon; the rest of it is kept (`commits_deepen_walk`) and a deepening job walks on
    /// from there (`deepenCommits`), so shallow and deep together fetch exactly the pages of one whole walk.
    func syncCommits(source: String, depth: StreamDepth = .whole) async throws {
        let stream = "commits"
        var firstURL = "/repos/\(source)/commits?sha=\(QueryText.value(settings.branch))&per_page=100"
        if let since = settings.since {
            firstURL += "&since=\(QueryText.value(QueryText.date(since)))"
        }
        if let resumed = try loadCursor(CommitCursor.self, stream: stream)?.walk {
            logger.debug("resuming commit walk", metadata: ["next": "\(resumed.nextURL)"])
            let response = try await get(resumed.nextURL, etag: nil, entity: stream)
            try await continueWalk(resumed, response: response, stream: stream, depth: depth)
            // The branch may have moved while the walk was unfinished: check its head now (304 if not).
        }
        let cached = try store.httpCacheEntry(url: firstURL)
        let response = try await get(firstURL, etag: cached?.etag, entity: stream)
        if response.status != 304 {
            let walk = CommitCursor.Walk(head: "", nextURL: firstURL, frontier: [], firstURL: firstURL, firstETag: response.etag)
            try await continueWalk(walk, response: response, stream: stream, depth: depth)
        } else if let coverage = coverageAfterPass(stream, depth: depth) {
            // Unchanged since a completed walk that predates the coverage record.
            var batch = StoreBatch()
            batch.coverage = [coverage]
            try apply(batch)
        }
    }

    /// Stores the page in `response` and the following ones until the walk is complete.
    func continueWalk(
        _ start: CommitCursor.Walk, response first: GitHubResponse, stream: String, depth: StreamDepth, deepening: Bool = false
    ) async throws {
        let horizon: Date? = if case .shallow(let from) = depth { from } else { nil }
        var walk = start
        var response = first
        while true {
            let page = try client.decode([GitHubCommit].self, from: response)
            count("commits", fetched: page.count)
            if walk.head.isEmpty {
                guard let head = page.first?.sha else {
                    // Empty branch listing: remember the ETag, nothing else to do.
                    var batch = StoreBatch()
                    batch.httpCache = [HTTPCacheEntry(url: walk.firstURL, etag: response.etag, nextURL: nil)]
                    batch.cursors = [cursorUpdate(CommitCursor(walk: nil), stream: stream), horizonUpdate(stream, from: nil)]
                    batch.coverage = coverageAfterPass(stream, depth: depth).map { [$0] } ?? []
                    try apply(batch)
                    return
                }
                walk.head = head
            }
            let walked = Set(page.map(\.sha))
            var frontier = Set(walk.frontier)
            frontier.subtract(walked)
            for commit in page {
                for parent in commit.parents where !walked.contains(parent.sha) {
                    frontier.insert(parent.sha)
                }
            }
            frontier.subtract(try store.liveCommitShas(repository: repository, among: Array(frontier)))
            let next = response.nextURL
            var done = frontier.isEmpty || next == nil
            var batch = StoreBatch()
            batch.commits = page.map(storedCommit)
            if !done, let horizon, let next, let oldest = page.last, oldest.commit.committer.date < horizon {
                // Shallow: the page reaches back past the horizon. The rest of the walk is the deepening's.
                var rest = walk
                rest.nextURL = next
                rest.frontier = frontier.sorted()
                batch.cursors = [cursorUpdate(CommitCursor(walk: rest), stream: "commits_deepen_walk")]
                done = true
            }
            if deepening {
                if done {
                    batch.cursors += [cursorUpdate(CommitCursor(walk: nil), stream: stream)]
                    batch.coverage = [StoreBatch.CoverageUpdate(repository: repository, stream: "commits", from: settings.since, complete: true)]
                } else if let next {
                    walk.nextURL = next
                    walk.frontier = frontier.sorted()
                    batch.cursors = [cursorUpdate(CommitCursor(walk: walk), stream: stream)]
                }
                try apply(batch)
                guard !done, let next else { return }
                response = try await get(next, etag: nil, entity: "commits")
                continue
            }
            if done {
                batch.cursors += [cursorUpdate(CommitCursor(walk: nil), stream: stream), horizonUpdate(stream, from: nil)]
                // A shallow walk that reached the end of the history needs no deepening.
                let reachedEnd = frontier.isEmpty || next == nil
                batch.coverage = horizon != nil && reachedEnd
                    ? [StoreBatch.CoverageUpdate(repository: repository, stream: stream, from: settings.since, complete: true)]
                    : coverageAfterPass(stream, depth: depth).map { [$0] } ?? []
                batch.httpCache = [HTTPCacheEntry(url: walk.firstURL, etag: walk.firstETag, nextURL: nil)]
                batch.softDeletions = [.commitsUnreachable(repository: repository, head: walk.head)]
            } else if let next {
                walk.nextURL = next
                walk.frontier = frontier.sorted()
                batch.cursors = [cursorUpdate(CommitCursor(walk: walk), stream: stream)]
                if let horizon { batch.cursors.append(horizonUpdate(stream, from: horizon)) }
            }
            let result = try apply(batch)
            if let deleted = result.deleted[.commits], deleted > 0 {
                logger.debug("commits no longer on the branch soft-deleted", metadata: ["count": "\(deleted)"])
            }
            guard !done, let next else { return }
            response = try await get(next, etag: nil, entity: "commits")
        }
    }

    func storedCommit(_ commit: GitHubCommit) -> StoredCommit {
        let message = commit.commit.message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            .first.map(String.init) ?? ""
        return StoredCommit(
            repository: repository, sha: commit.sha, parents: commit.parents.map(\.sha),
            authorName: commit.commit.author.name, authorEmail: commit.commit.author.email,
            authorLogin: commit.author?.login, committerName: commit.commit.committer.name,
            committerEmail: commit.commit.committer.email, committerLogin: commit.committer?.login,
            authoredAt: commit.commit.author.date, committedAt: commit.commit.committer.date, message: message)
    }
}
