import Foundation
import GitHubAPI
import TwinStore

extension RepositorySyncJob {
    /// GitHub returns at most this many results of a filtered runs listing.
    static let runListingCap = 1000
    /// How far back the open window keeps re-listing runs, to see re-runs of recent runs.
    static let rerunLookback: TimeInterval = 86_400

    /// Workflow runs, by `created` windows so no listing hits GitHub's 1,000-result cap.
    ///
    /// A pass lists the open window `created>=from` (no filter at all on a first sync without horizon). When a
    /// filtered window reports `total_count` above the cap it is split into smaller windows (bisected again if
    /// still too large). Each page is committed with the cursor (remaining windows, next URL); `from` moves
    /// to the newest `created_at` seen only after the whole pass is stored. Runs not yet completed stay
    /// "pending" in the store and are fetched again (`/actions/runs/{id}`, with ETags) until they complete,
    /// unless the open window already re-listed them.
    ///
    /// `depth` (progressive sync): a shallow first pass lists runs created since the horizon less the longest
    /// run GitHub allows (so every run completed after the horizon is in); a deepening sync then lists the older
    /// ones through closed windows of a cursor of its own.
    func syncWorkflowRuns(source: String, depth: StreamDepth = .whole) async throws {
        let stream = "workflow_runs"
        let initialFrom: Date? = switch depth {
        case .shallow(let from), .partial(let from): from.addingTimeInterval(-Self.longestRun)
        case .whole, .complete: settings.since
        }
        var cursor = try loadCursor(RunCursor.self, stream: stream) ?? RunCursor(from: initialFrom)
        if cursor.windows.isEmpty {
            cursor.windows = [RunCursor.Window(from: cursor.from, to: nil)]
            cursor.nextURL = nil
            cursor.pages = 0
            cursor.maxCreated = nil
        }
        try await listRunWindows(source: source, stream: stream, cursor: &cursor)
        try await refreshPendingRuns(source: source, coveredFrom: cursor.from)
        switch depth {
        case .shallow, .whole:
            var batch = StoreBatch()
            batch.coverage = coverageAfterPass(stream, depth: depth).map { [$0] } ?? []
            try apply(batch)
        case .partial, .complete:
            break
        }
    }

    /// Runs created before the shallow pass's lower bound, back to `since`: closed windows of a cursor of their own.
    func deepenRuns(source: String, from: Date) async throws {
        let deepen = "workflow_runs_deepen"
        let oldest = settings.since ?? Self.beforeActions
        let upper = from.addingTimeInterval(-Self.longestRun - 1)
        var older = try loadCursor(RunCursor.self, stream: deepen)
            ?? RunCursor(from: oldest, windows: upper > oldest ? [RunCursor.Window(from: oldest, to: upper)] : [])
        try await listRunWindows(source: source, stream: deepen, cursor: &older)
        var batch = StoreBatch()
        batch.coverage = [completeCoverage("workflow_runs", mainFrom: from)]
        try apply(batch)
    }

    /// Before GitHub Actions existed: the lower bound of a deepening that goes back to the beginning.
    static let beforeActions = Date(timeIntervalSince1970: 1_546_300_800)  // 2019-01-01

    /// Lists the cursor's windows, page by page, each page committed with the cursor.
    private func listRunWindows(source: String, stream: String, cursor: inout RunCursor) async throws {
        while let window = cursor.windows.first {
            let url = cursor.nextURL ?? runsURL(source: source, window: window)
            let cached = try store.httpCacheEntry(url: url)
            let response = try await get(url, etag: cached?.etag, entity: "workflow_runs")
            var batch = StoreBatch()
            var windowDone = false
            var primeFrom: Date?
            if response.status == 304, let cached {
                cursor.pages += 1
                if let next = cached.nextURL {
                    cursor.nextURL = next
                    continue
                }
                windowDone = true
            } else {
                let list = try client.decode(GitHubWorkflowRunList.self, from: response)
                count("workflow_runs", fetched: list.workflowRuns.count)
                batch.workflowRuns = list.workflowRuns.map(storedRun)
                batch.httpCache = [
                    HTTPCacheEntry(
                        url: url, etag: response.etag, nextURL: response.nextURL,
                        itemKeys: list.workflowRuns.map { String($0.id) })
                ]
                if cursor.nextURL == nil, list.totalCount > Self.runListingCap,
                    let parts = split(window, total: list.totalCount)
                {
                    logger.debug(
                        "run window over the cap split",
                        metadata: ["total": "\(list.totalCount)", "parts": "\(parts.count)"])
                    cursor.windows.replaceSubrange(0..<1, with: parts)
                    batch.cursors = [cursorUpdate(cursor, stream: stream)]
                    try apply(batch)
                    continue
                }
                cursor.pages += 1
                if let newest = list.workflowRuns.map(\.createdAt).max() {
                    cursor.maxCreated = max(cursor.maxCreated ?? newest, newest)
                }
                if let next = response.nextURL {
                    cursor.nextURL = next
                } else {
                    windowDone = true
                }
            }
            if windowDone {
                cursor.windows.removeFirst()
                cursor.nextURL = nil
                if window.to == nil {
                    // The open window: `from` moves only past what is stored, and keeps covering the last
                    // `rerunLookback` (re-runs of recent runs change them without changing `created_at`). It
                    // moves in steps (when it lags more than twice the lookback), so an unchanged repository
                    // keeps requesting the same URLs, whose ETags are stored, and pays nothing.
                    cursor.from = window.from
                    if let newest = cursor.maxCreated {
                        let target = Date(
                            timeIntervalSince1970: newest.timeIntervalSince1970.rounded(.down) - Self.rerunLookback)
                        let lagging = window.from.map { $0 < target.addingTimeInterval(-Self.rerunLookback) } ?? true
                        if lagging && (window.from.map { target > $0 } ?? true) {
                            cursor.from = target
                            primeFrom = target
                        }
                    }
                }
                cursor.pages = 0
                cursor.maxCreated = nil
            }
            batch.cursors = [cursorUpdate(cursor, stream: stream)]
            try apply(batch)
            if let primeFrom {
                try await primeRunWindow(source: source, from: primeFrom)
            }
        }
    }

    private func runsURL(source: String, window: RunCursor.Window) -> String {
        var url = "/repos/\(source)/actions/runs?per_page=100"
        switch (window.from, window.to) {
        case (nil, nil): break
        case (let from?, nil): url += "&created=\(QueryText.value(">=" + QueryText.date(from)))"
        case (nil, let to?): url += "&created=\(QueryText.value("*.." + QueryText.date(to)))"
        case (let from?, let to?):
            url += "&created=\(QueryText.value(QueryText.date(from) + ".." + QueryText.date(to)))"
        }
        return url
    }

    /// Splits a filtered window into parts expected to stay under the cap (nil when it cannot be split).
    private func split(_ window: RunCursor.Window, total: Int) -> [RunCursor.Window]? {
        guard let from = window.from else { return nil }
        let upper = window.to ?? max(now(), from)
        let start = from.timeIntervalSince1970.rounded(.down)
        let end = upper.timeIntervalSince1970.rounded(.up)
        guard end - start >= 2 else { return nil }
        let parts = min(64, max(2, Int((Double(total) / Double(Self.runListingCap) * 1.25).rounded(.up))))
        let step = max(1, ((end - start) / Double(parts)).rounded(.down))
        var boundaries: [Double] = []
        var next = start + step
        while next < end && boundaries.count < parts - 1 {
            boundaries.append(next)
            next += step
        }
        var windows: [RunCursor.Window] = []
        var lower = start
        for boundary in boundaries {
            windows.append(
                RunCursor.Window(
                    from: Date(timeIntervalSince1970: lower), to: Date(timeIntervalSince1970: boundary - 1)))
            lower = boundary
        }
        windows.append(RunCursor.Window(from: Date(timeIntervalSince1970: lower), to: window.to))
        return windows.count > 1 ? windows : nil
    }

    /// Lists the next pass's open window once (every page, storing ETags), so an unchanged repository answers
    /// the next sync with 304s only.
    private func primeRunWindow(source: String, from: Date) async throws {
        var url: String? = runsURL(source: source, window: RunCursor.Window(from: from, to: nil))
        var pages = 0
        while let current = url, pages < Self.runListingCap / 100 {
            let response = try await get(current, etag: nil, entity: "workflow_runs")
            let list = try client.decode(GitHubWorkflowRunList.self, from: response)
            count("workflow_runs", fetched: list.workflowRuns.count)
            var batch = StoreBatch()
            batch.workflowRuns = list.workflowRuns.map(storedRun)
            batch.httpCache = [
                HTTPCacheEntry(
                    url: current, etag: response.etag, nextURL: response.nextURL,
                    itemKeys: list.workflowRuns.map { String($0.id) })
            ]
            try apply(batch)
            url = response.nextURL
            pages += 1
        }
    }

    /// Fetches again every stored run not yet completed that the open window did not re-list.
    private func refreshPendingRuns(source: String, coveredFrom: Date?) async throws {
        guard let coveredFrom else { return }
        for pending in try store.pendingWorkflowRuns(repository: repository) where pending.createdAt < coveredFrom {
            let url = "/repos/\(source)/actions/runs/\(pending.id)"
            let cached = try store.httpCacheEntry(url: url)
            var batch = StoreBatch()
            do {
                let response = try await get(url, etag: cached?.etag, entity: "workflow_runs")
                guard response.status == 200 else { continue }
                let run = try client.decode(GitHubWorkflowRun.self, from: response)
                count("workflow_runs", fetched: 1)
                batch.workflowRuns = [storedRun(run)]
                batch.httpCache = [HTTPCacheEntry(url: url, etag: response.etag, nextURL: nil)]
            } catch let error as GitHubError where error.kind == .notFound {
                batch.softDeletions = [.row(repository: repository, entity: .workflowRuns, key: String(pending.id))]
            }
            try apply(batch)
        }
    }

    func storedRun(_ run: GitHubWorkflowRun) -> StoredWorkflowRun {
        StoredWorkflowRun(
            repository: repository, id: run.id, workflowId: run.workflowId, name: run.name, headBranch: run.headBranch,
            headSha: run.headSha, event: run.event, status: run.status ?? "unknown", conclusion: run.conclusion,
            runAttempt: run.runAttempt ?? 1, runNumber: run.runNumber, createdAt: run.createdAt,
            runStartedAt: run.runStartedAt, updatedAt: run.updatedAt)
    }
}
