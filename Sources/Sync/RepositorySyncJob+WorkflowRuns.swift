import Foundation
import GitHubAPI
import TwinStore

extension RepositorySyncJob {
    /// How far back before the newest run each pass re-lists runs, to see re-runs of recent runs.
    static let rerunLookback: TimeInterval = 86_400

    /// Workflow runs, from one listing: `GET /actions/runs?per_page=100`, unfiltered, newest first. Unfiltered, it
    /// has no 1,000-result cap (GitHub caps only filtered searches), so no `created` windows are needed.
    ///
    /// A pass walks the listing page by page (Link rel="next", verbatim) down to the first page that reaches back
    /// past its stop: `since` (or the listing's end) on a whole first sync, the horizon less the longest run
    /// GitHub allows on a shallow first pass (so every run completed after the horizon is in), and afterwards the
    /// newest `created_at` stored less `rerunLookback` (re-runs change a run without moving it). Every page is
    /// committed with the cursor and its ETag: an unchanged repository answers the next pass with 304s, and a 304
    /// page's reach comes from the runs it held. Runs created meanwhile push older ones to later pages, so a page
    /// may repeat runs of the one before (upserts by run id are idempotent) but none is skipped.
    ///
    /// A shallow pass keeps where the listing continues (`workflow_runs_deepen`); deepening walks on from there.
    /// Runs not yet completed and older than a pass's reach are fetched again (`/actions/runs/{id}`, ETag) until
    /// they complete.
    func syncWorkflowRuns(source: String, depth: StreamDepth = .whole) async throws {
        let stream = "workflow_runs"
        let firstStop: Date? = switch depth {
        case .shallow(let from): from.addingTimeInterval(-Self.longestRun)
        case .partial, .complete, .whole: depth.mainSince(settings.since)
        }
        var cursor = try loadCursor(RunCursor.self, stream: stream) ?? RunCursor(from: firstStop)
        if cursor.nextURL?.contains("created=") == true {
            // A pass of the former windowed listing: this one starts again from the newest page.
            cursor.nextURL = nil
            cursor.newest = nil
        }
        let stop = max(cursor.from ?? .distantPast, settings.since ?? .distantPast)
        var url = cursor.nextURL ?? "/repos/\(source)/actions/runs?per_page=100"
        var rest: String?
        while true {
            let cached = try store.httpCacheEntry(url: url)
            var response = try await get(url, etag: cached?.etag, entity: "workflow_runs")
            var oldest: Date?
            var next: String?
            var batch = StoreBatch()
            let keys = cached?.itemKeys.compactMap { Int64($0) } ?? []
            let reach = response.status == 304 ? try store.oldestRunCreated(repository: repository, ids: keys) : nil
            if response.status == 304, let cached, keys.isEmpty || reach != nil {
                // Unchanged: an empty page ends the listing; otherwise its runs say how far back it reaches.
                oldest = reach
                next = keys.isEmpty ? nil : cached.nextURL
            } else {
                if response.status == 304 { response = try await get(url, etag: nil, entity: "workflow_runs") }
                let list = try client.decode(GitHubWorkflowRunList.self, from: response)
                count("workflow_runs", fetched: list.workflowRuns.count)
                let kept = list.workflowRuns.filter(isAfterSince)
                batch.workflowRuns = kept.map(storedRun)
                batch.httpCache = [
                    HTTPCacheEntry(url: url, etag: response.etag, nextURL: response.nextURL, itemKeys: kept.map { String($0.id) })
                ]
                oldest = list.workflowRuns.map(\.createdAt).min()
                if let newest = list.workflowRuns.map(\.createdAt).max() {
                    cursor.newest = max(cursor.newest ?? newest, newest)
                }
                next = response.nextURL
            }
            let reachedStop = oldest.map { $0 < stop } ?? true
            if let next, !reachedStop {
                cursor.nextURL = next
                batch.cursors = [cursorUpdate(cursor, stream: stream)]
                try apply(batch)
                url = next
                continue
            }
            // The pass is done: the next one stops a lookback before the newest run stored.
            rest = reachedStop ? next : nil
            if let newest = cursor.newest {
                let target = Date(timeIntervalSince1970: newest.timeIntervalSince1970.rounded(.down) - Self.rerunLookback)
                cursor.from = max(target, cursor.from ?? target)
            }
            cursor.nextURL = nil
            cursor.newest = nil
            batch.cursors = [cursorUpdate(cursor, stream: stream)]
            if case .shallow(let horizon) = depth {
                batch.cursors.append(cursorUpdate(rest.map { PageCursor(nextURL: $0) }, stream: "workflow_runs_deepen"))
                batch.coverage = [
                    rest == nil
                        ? StoreBatch.CoverageUpdate(repository: repository, stream: stream, from: settings.since, complete: true)
                        : StoreBatch.CoverageUpdate(repository: repository, stream: stream, from: horizon, complete: false)
                ]
            } else if case .whole = depth {
                batch.coverage = coverageAfterPass(stream, depth: depth).map { [$0] } ?? []
            }
            try apply(batch)
            break
        }
        // Runs still pending that the next pass will not re-list: fetched on their own now, so that pass (and an
        // unchanged repository) finds them unchanged.
        try await refreshPendingRuns(source: source, coveredFrom: max(cursor.from ?? stop, stop))
    }

    /// Runs older than the shallow pass reached: the same newest-first listing continued from where that pass
    /// stopped (`workflow_runs_deepen`), page for page, to its end or `since`. Runs created since then push the
    /// older ones to later pages, so a page may repeat runs, never skip one. Without a kept position (a store
    /// deepened by an earlier version), the listing is walked from its first page.
    func deepenRuns(source: String, from: Date) async throws {
        let stream = "workflow_runs_deepen"
        var url: String? = try loadCursor(PageCursor.self, stream: stream)?.nextURL
        if url?.contains("created=") ?? true { url = "/repos/\(source)/actions/runs?per_page=100" }
        while let current = url {
            let response = try await get(current, etag: nil, entity: "workflow_runs")
            let list = try client.decode(GitHubWorkflowRunList.self, from: response)
            count("workflow_runs", fetched: list.workflowRuns.count)
            var batch = StoreBatch()
            batch.workflowRuns = list.workflowRuns.filter(isAfterSince).map(storedRun)
            let reachedSince = settings.since.map { since in list.workflowRuns.map(\.createdAt).min().map { $0 < since } ?? true } ?? false
            url = reachedSince ? nil : response.nextURL
            batch.cursors = [cursorUpdate(url.map { PageCursor(nextURL: $0) }, stream: stream)]
            if url == nil { batch.coverage = [completeCoverage("workflow_runs", mainFrom: from)] }
            try apply(batch)
        }
    }

    /// Fetches again every stored run not yet completed that the pass did not re-list.
    private func refreshPendingRuns(source: String, coveredFrom: Date) async throws {
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

    /// Whether a listed run was created at or after `since` (a page reaching past it holds older ones).
    private func isAfterSince(_ run: GitHubWorkflowRun) -> Bool {
        settings.since.map { run.createdAt >= $0 } ?? true
    }

    func storedRun(_ run: GitHubWorkflowRun) -> StoredWorkflowRun {
        StoredWorkflowRun(
            repository: repository, id: run.id, workflowId: run.workflowId, name: run.name, headBranch: run.headBranch,
            headSha: run.headSha, event: run.event, status: run.status ?? "unknown", conclusion: run.conclusion,
            runAttempt: run.runAttempt ?? 1, runNumber: run.runNumber, createdAt: run.createdAt,
            runStartedAt: run.runStartedAt, updatedAt: run.updatedAt)
    }
}
