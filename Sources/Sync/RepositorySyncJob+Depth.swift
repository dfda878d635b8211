import Foundation
import GitHubAPI
import TwinStore

/// How deep each progressive stream (commits, issues, workflow runs) goes in this sync.
///
/// A stream never synced starts *shallow* when a horizon is set (`sync.shallowHorizon` back from now, later
/// than `since`): its first pass reaches the horizon only, so every repository gets numbers early. Its coverage
/// is then `partial` from the horizon. Later syncs keep it current and *deepen* it, through a cursor of its own,
/// back to `since`; then it is `complete`. Coverage rows are written with the page that completes them.
enum StreamDepth: Equatable {
    /// Back to `since` in one pass (no horizon, or the stream predates coverage records).
    case whole
    /// First pass: back to the horizon only.
    case shallow(from: Date)
    /// Covered from `from`: the main listing keeps it current; deepening passes (`deepenOnly` jobs) reach back
    /// to `since`.
    case partial(from: Date)
    /// Complete: incremental only. `from` is where its main listing starts (the horizon of its first pass, kept
    /// after deepening so that the listing's URL, and so its stored ETag, stay the same); nil: `since`.
    case complete(from: Date?)

    /// The `since` of the stream's main (incremental) listing.
    func mainSince(_ since: Date?) -> Date? {
        switch self {
        case .whole: since
        case .complete(let from): from ?? since
        case .shallow(let from), .partial(let from): from
        }
    }
}

extension RepositorySyncJob {
    /// GitHub keeps a workflow run for at most 35 days between creation and completion, so runs created that long
    /// before the horizon include every run that completed after it.
    static let longestRun: TimeInterval = 35 * 86_400

    /// Decides each progressive stream's depth from the stored coverage; a repository synced whole before coverage
    /// was recorded gets `complete` rows now.
    func planDepths() throws -> [String: StreamDepth] {
        var rows = try store.streamCoverage(repository: repository)
        if rows.isEmpty, try store.historyCoverage(repository: repository) == .complete {
            var batch = StoreBatch()
            batch.coverage = TwinStore.progressiveStreams.map {
                StoreBatch.CoverageUpdate(repository: repository, stream: $0, from: nil, complete: true)
            }
            try apply(batch)
            rows = try store.streamCoverage(repository: repository)
        }
        var depths: [String: StreamDepth] = [:]
        for stream in TwinStore.progressiveStreams {
            if let row = rows[stream] {
                if row.complete {
                    depths[stream] = .complete(from: row.from)
                } else if let from = row.from {
                    depths[stream] = .partial(from: from)
                } else {
                    depths[stream] = .whole
                }
            } else if let horizon = shallowHorizon, settings.since.map({ horizon > $0 }) ?? true {
                // A first pass that was interrupted resumes from its cursor, with the same horizon.
                depths[stream] = .shallow(from: try resumedHorizon(stream) ?? horizon)
            } else {
                depths[stream] = .whole
            }
        }
        return depths
    }

    /// The horizon an interrupted shallow pass started with (kept in its own cursor), so it ends where it began.
    private func resumedHorizon(_ stream: String) throws -> Date? {
        try loadCursor(HorizonCursor.self, stream: "\(stream)_horizon")?.from
    }

    /// Remembers the horizon of a shallow pass that has started.
    func horizonUpdate(_ stream: String, from: Date?) -> StoreBatch.CursorUpdate {
        cursorUpdate(from.map { HorizonCursor(from: $0) }, stream: "\(stream)_horizon")
    }

    /// The coverage row a finished pass of `stream` at `depth` writes (nil: nothing changes).
    func coverageAfterPass(_ stream: String, depth: StreamDepth) -> StoreBatch.CoverageUpdate? {
        switch depth {
        case .whole: StoreBatch.CoverageUpdate(repository: repository, stream: stream, from: settings.since, complete: true)
        case .shallow(let from): StoreBatch.CoverageUpdate(repository: repository, stream: stream, from: from, complete: false)
        case .partial, .complete: nil
        }
    }

    /// A deepened stream is complete; `from` stays the horizon its main listing starts at.
    func completeCoverage(_ stream: String, mainFrom: Date) -> StoreBatch.CoverageUpdate {
        StoreBatch.CoverageUpdate(repository: repository, stream: stream, from: mainFrom, complete: true)
    }

    // MARK: - Deepening

    /// A deepening pass: every partially covered stream reaches back towards `since` (nothing else is synced).
    func deepenEverything() async throws {
        let depths = try planDepths()
        let sources = settings.sources
        if case .partial(let from) = depths["commits"] { try await deepenCommits(source: sources.commits, from: from) }
        if case .partial(let from) = depths["issues"] { try await deepenIssues(source: sources.issues, from: from) }
        if case .partial(let from) = depths["workflow_runs"] { try await deepenRuns(source: sources.workflowRuns, from: from) }
    }

    /// Commits older than the horizon: the rest of the shallow walk (`commits_deepen_walk`), page for page, so
    /// shallow and deep fetch the pages of one whole walk. Without it (a coverage row written by an interrupted
    /// store upgrade, say), `until=from` lists the older commits.
    func deepenCommits(source: String, from: Date) async throws {
        if let rest = try loadCursor(CommitCursor.self, stream: "commits_deepen_walk")?.walk {
            // The rest of the shallow walk, page for page.
            let response = try await get(rest.nextURL, etag: nil, entity: "commits")
            try await continueWalk(rest, response: response, stream: "commits_deepen_walk", depth: .whole, deepening: true)
            return
        }
        let stream = "commits_deepen"
        var url = try loadCursor(PageCursor.self, stream: stream)?.nextURL
        if url == nil {
            var first = "/repos/\(source)/commits?sha=\(QueryText.value(settings.branch))&per_page=100"
            first += "&until=\(QueryText.value(QueryText.date(from)))"
            if let since = settings.since { first += "&since=\(QueryText.value(QueryText.date(since)))" }
            url = first
        }
        while let current = url {
            let response = try await get(current, etag: nil, entity: "commits")
            let page = try client.decode([GitHubCommit].self, from: response)
            count("commits", fetched: page.count)
            var batch = StoreBatch()
            batch.commits = page.map(storedCommit)
            url = response.nextURL
            if let next = url {
                batch.cursors = [cursorUpdate(PageCursor(nextURL: next), stream: stream)]
            } else {
                batch.cursors = [cursorUpdate(PageCursor?.none, stream: stream)]
                batch.coverage = [completeCoverage("commits", mainFrom: from)]
            }
            try apply(batch)
        }
    }

    /// Issues last updated before the horizon: the shallow pass's newest-first listing, continued from where it
    /// stopped to its end (or to `since`).
    func deepenIssues(source: String, from: Date) async throws {
        let stream = "issues_desc"
        var cursor = try loadCursor(DescendingCursor.self, stream: stream) ?? DescendingCursor(nextURL: nil, newest: nil)
        while let current = cursor.nextURL {
            let response = try await get(current, etag: nil, entity: "issues")
            let page = try client.decode([GitHubIssue].self, from: response)
            count("issues", fetched: page.count)
            var batch = StoreBatch()
            batch.issues = page.map(storedIssue)
            let reachedSince = settings.since.map { since in page.last.map { $0.updatedAt < since } ?? true } ?? false
            cursor.nextURL = reachedSince ? nil : response.nextURL
            batch.cursors = [cursorUpdate(cursor, stream: stream)]
            if cursor.nextURL == nil { batch.coverage = [completeCoverage("issues", mainFrom: from)] }
            try apply(batch)
        }
        var batch = StoreBatch()
        batch.coverage = [completeCoverage("issues", mainFrom: from)]
        try apply(batch)
    }

    /// Every open issue, whatever its age: an incident opened before the horizon and still open matters to
    /// every window (time to restore, rework). Part of a shallow issues pass.
    func listOpenIssues(source: String) async throws {
        var url: String? = "/repos/\(source)/issues?state=open&per_page=100"
        while let current = url {
            let response = try await get(current, etag: nil, entity: "issues")
            let page = try client.decode([GitHubIssue].self, from: response)
            count("issues", fetched: page.count)
            var batch = StoreBatch()
            batch.issues = page.map(storedIssue)
            try apply(batch)
            url = response.nextURL
        }
    }
}

/// A shallow pass's horizon, kept while the pass is unfinished.
struct HorizonCursor: Codable, Hashable {
    var from: Date
}

/// A newest-first listing: where it continues (nil: at its end) and the newest `updated_at` it saw.
struct DescendingCursor: Codable, Hashable {
    var nextURL: String?
    var newest: String?
}

/// The next page of a plain walk.
struct PageCursor: Codable, Hashable {
    var nextURL: String
}
