import Foundation
import GitHubAPI
import TwinStore

extension RepositorySyncJob {
    /// Issues and pull requests, `state=all&sort=updated&direction=asc&since=…`, the cursor advanced page by
    /// page: after a full page the next request starts at the last item's `updated_at` (inclusive, so at most
    /// one item is fetched twice); only when a whole page shares one `updated_at` is Link rel="next" followed.
    /// When a page is not full the walk ends and the cursor keeps that page's URL, whose ETag is stored: an
    /// unchanged repository answers it with 304 (no rate-limit point) and any update changes it.
    ///
    /// `depth` (progressive sync): a shallow first pass lists issues newest-updated first down to the horizon
    /// (`shallowIssues`), and every open issue unless that listing reached its end; a deepening sync then continues
    /// the same listing (`deepenIssues`). No page is fetched twice: the main listing begins on the next sync. Items only ever move up a list ordered by `updated_at`, so continuing a
    /// page-numbered listing later may see an item twice but never skips one.
    func syncIssues(source: String, depth: StreamDepth = .whole) async throws {
        let stream = "issues"
        if case .shallow(let from) = depth {
            // The first pass is the newest-first listing alone (its first page, when it is the only one, is the whole
            // history); the main ascending listing starts on the next sync, from the newest `updated_at` it saw.
            if try loadCursor(IssueCursor.self, stream: stream) == nil {
                var batch = StoreBatch()
                batch.cursors = [horizonUpdate(stream, from: from)]
                try apply(batch)
                try await shallowIssues(source: source, horizon: from)
            }
            let exhausted = try loadCursor(DescendingCursor.self, stream: "issues_desc")?.nextURL == nil
            if !exhausted { try await listOpenIssues(source: source) }
            var batch = StoreBatch()
            batch.cursors = [horizonUpdate(stream, from: nil)]
            batch.coverage = exhausted
                ? [StoreBatch.CoverageUpdate(repository: repository, stream: stream, from: settings.since, complete: true)]
                : coverageAfterPass(stream, depth: depth).map { [$0] } ?? []
            try apply(batch)
            return
        }
        let resumed = try loadCursor(IssueCursor.self, stream: stream)
        try await listIssues(source: source, initialSince: depth.mainSince(settings.since), resumed: resumed)
        if case .whole = depth {
            var batch = StoreBatch()
            batch.coverage = coverageAfterPass(stream, depth: depth).map { [$0] } ?? []
            try apply(batch)
        }
    }

    /// Newest-updated first, down to the horizon (or the listing's end). The last page commits the main cursor
    /// (ascending from the newest `updated_at` seen) and where the listing continues, for deepening.
    private func shallowIssues(source: String, horizon: Date) async throws {
        let stream = "issues_desc"
        var cursor = try loadCursor(DescendingCursor.self, stream: stream)
            ?? DescendingCursor(nextURL: "/repos/\(source)/issues?state=all&sort=updated&direction=desc&per_page=100", newest: nil)
        while let current = cursor.nextURL {
            let response = try await get(current, etag: nil, entity: "issues")
            let page = try client.decode([GitHubIssue].self, from: response)
            count("issues", fetched: page.count)
            if cursor.newest == nil, let first = page.first { cursor.newest = QueryText.date(first.updatedAt) }
            var batch = StoreBatch()
            batch.issues = page.map(storedIssue)
            cursor.nextURL = response.nextURL
            let reachedHorizon = page.last.map { $0.updatedAt < horizon } ?? true
            batch.cursors = [cursorUpdate(cursor, stream: stream)]
            if reachedHorizon || cursor.nextURL == nil {
                batch.cursors.append(cursorUpdate(IssueCursor(since: cursor.newest ?? QueryText.date(horizon), nextURL: nil), stream: "issues"))
                try apply(batch)
                return
            }
            try apply(batch)
        }
    }

    /// The main (incremental) issues listing.
    private func listIssues(source: String, initialSince: Date?, resumed: IssueCursor?) async throws {
        let stream = "issues"
        var cursor = resumed ?? IssueCursor(since: initialSince.map(QueryText.date), nextURL: nil)
        func url(since: String?) -> String {
            var url = "/repos/\(source)/issues?state=all&sort=updated&direction=asc&per_page=100"
            if let since { url += "&since=\(QueryText.value(since))" }
            return url
        }
        while true {
            let current = cursor.nextURL ?? url(since: cursor.since)
            let cached = try store.httpCacheEntry(url: current)
            var response = try await get(current, etag: cached?.etag, entity: stream)
            if response.status == 304 {
                guard let cached, cached.itemKeys.count >= 100 || cached.nextURL != nil else { return }
                // A full page unchanged: what follows it may not be; fetch it again to continue.
                response = try await get(current, etag: nil, entity: stream)
            }
            let page = try client.decode([GitHubIssue].self, from: response)
            count(stream, fetched: page.count)
            var batch = StoreBatch()
            batch.issues = page.map(storedIssue)
            batch.httpCache = [
                HTTPCacheEntry(url: current, etag: response.etag, nextURL: response.nextURL, itemKeys: page.map { String($0.number) })
            ]
            var done = false
            if let last = page.last, page.count >= 100 || response.nextURL != nil {
                let lastUpdated = QueryText.date(last.updatedAt)
                if lastUpdated != cursor.since {
                    cursor = IssueCursor(since: lastUpdated, nextURL: nil)
                } else if let next = response.nextURL {
                    cursor.nextURL = next
                } else {
                    done = true
                }
            } else {
                if cursor.nextURL != nil {
                    // End of a run of identical `updated_at`s: start the next listing after it.
                    cursor = IssueCursor(since: page.last.map { QueryText.date($0.updatedAt) } ?? cursor.since, nextURL: nil)
                }
                done = true
            }
            batch.cursors = [cursorUpdate(cursor, stream: stream)]
            try apply(batch)
            if done { return }
        }
    }

    func storedIssue(_ issue: GitHubIssue) -> StoredIssue {
        StoredIssue(
            repository: repository, number: issue.number, id: issue.id, title: issue.title, state: issue.state,
            stateReason: issue.stateReason, labels: issue.labels.map(\.name), userLogin: issue.user?.login,
            createdAt: issue.createdAt, updatedAt: issue.updatedAt, closedAt: issue.closedAt,
            isPullRequest: issue.isPullRequest)
    }
}
