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
    /// `depth` (progressive sync): a shallow first pass asks page 1 of the whole listing first. When it is the only
    /// page, or one of at most `finishIssuesWithin`, the whole listing is the pass. Otherwise it lists issues
    /// newest-updated first down to the horizon (`shallowIssues`), and every open issue unless that listing reached
    /// its end; a deepening sync then continues the same listing (`deepenIssues`) and the main listing begins on the
    /// next sync. Items only ever move up a list ordered by `updated_at`, so continuing a page-numbered listing
    /// later may see an item twice but never skips one.
    func syncIssues(source: String, depth: StreamDepth = .whole) async throws {
        let stream = "issues"
        if case .shallow(let from) = depth {
            if try loadCursor(HorizonCursor.self, stream: "issues_horizon") == nil {
                // Page 1 of the whole listing first: most repositories' issues fit in it, and a listing of a few
                // pages is cheaper listed whole than shallow plus every open issue.
                var whole = try loadCursor(IssueCursor.self, stream: stream)
                if whole == nil {
                    switch try await probeIssues(source: source) {
                    case .complete: return
                    case .few(let cursor): whole = cursor
                    case .many:
                        var batch = StoreBatch()
                        batch.cursors = [horizonUpdate(stream, from: from)]
                        try apply(batch)
                    }
                }
                if let whole {
                    // The whole pass the probe began (or resumed after a stop).
                    try await listIssues(source: source, initialSince: settings.since, resumed: whole)
                    var batch = StoreBatch()
                    batch.coverage = [StoreBatch.CoverageUpdate(repository: repository, stream: stream, from: settings.since, complete: true)]
                    try apply(batch)
                    return
                }
            }
            if try loadCursor(IssueCursor.self, stream: stream) == nil {
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

    enum IssueProbe {
        /// The only page: stored with its ETag and cursor exactly as a whole pass leaves them.
        case complete
        /// A whole listing of at most `finishIssuesWithin` pages: the whole pass continues from this cursor.
        case few(IssueCursor)
        /// More: the shallow pass (the probe's issues are kept).
        case many
    }

    /// Page 1 of the whole ascending listing, as a whole pass asks for it.
    private func probeIssues(source: String) async throws -> IssueProbe {
        let since = settings.since.map(QueryText.date)
        var url = "/repos/\(source)/issues?state=all&sort=updated&direction=asc&per_page=100"
        if let since { url += "&since=\(QueryText.value(since))" }
        let response = try await get(url, etag: nil, entity: "issues")
        let page = try client.decode([GitHubIssue].self, from: response)
        count("issues", fetched: page.count)
        var batch = StoreBatch()
        batch.issues = page.map(storedIssue)
        batch.httpCache = [HTTPCacheEntry(url: url, etag: response.etag, nextURL: response.nextURL, itemKeys: page.map { String($0.number) })]
        let result: IssueProbe
        if page.count < 100 && response.nextURL == nil {
            batch.cursors = [cursorUpdate(IssueCursor(since: since, nextURL: nil), stream: "issues")]
            batch.coverage = [StoreBatch.CoverageUpdate(repository: repository, stream: "issues", from: settings.since, complete: true)]
            result = .complete
        } else if let last = page.last, let pages = Self.pagesLeft(next: "?page=1", last: response.links["last"]),
            pages <= Self.finishIssuesWithin
        {
            // Where a whole pass goes on after this page (the same rule as `listIssues`).
            let lastUpdated = QueryText.date(last.updatedAt)
            let cursor = lastUpdated != since ? IssueCursor(since: lastUpdated, nextURL: nil) : IssueCursor(since: since, nextURL: response.nextURL)
            batch.cursors = [cursorUpdate(cursor, stream: "issues")]
            result = .few(cursor)
        } else {
            result = .many
        }
        try apply(batch)
        return result
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
            let oldest = page.last?.updatedAt
            if let since = settings.since, let oldest, oldest < since { cursor.nextURL = nil }
            // Past the horizon with only a few pages left: finishing the listing costs pages the deepening needs
            // anyway, where listing every open issue would cost pages no one else needs.
            let fewLeft = Self.pagesLeft(next: cursor.nextURL, last: response.links["last"]).map { $0 <= Self.finishIssuesWithin } ?? false
            let reachedHorizon = (oldest.map { $0 < horizon } ?? true) && !fewLeft
            batch.cursors = [cursorUpdate(cursor, stream: stream)]
            if reachedHorizon || cursor.nextURL == nil {
                batch.cursors.append(cursorUpdate(IssueCursor(since: cursor.newest ?? QueryText.date(horizon), nextURL: nil), stream: "issues"))
                try apply(batch)
                return
            }
            try apply(batch)
        }
    }

    /// A shallow issues pass that reaches the horizon with at most this many pages left finishes the listing.
    static let finishIssuesWithin = 10

    /// Pages from `next` to `last` inclusive, from their `page` parameters (nil when either is missing).
    static func pagesLeft(next: String?, last: String?) -> Int? {
        func page(_ url: String?) -> Int? {
            guard let query = url?.split(separator: "?", maxSplits: 1).last else { return nil }
            for pair in query.split(separator: "&") where pair.hasPrefix("page=") { return Int(pair.dropFirst(5)) }
            return nil
        }
        guard let next = page(next), let last = page(last) else { return nil }
        return max(0, last - next + 1)
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
