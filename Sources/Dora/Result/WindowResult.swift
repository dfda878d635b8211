import Foundation

/// One window of a report: its numbers, or why it has none (spec v1.2, "Coverage").
///
/// A window the synced history does not cover is *incomplete*: it carries no statistics at all, so that no
/// consumer can show a number computed from part of the data.
public enum WindowResult: Sendable, Hashable {
    /// The history holds everything the window's definitions read.
    case complete(WindowMetrics)
    /// The window reaches back further than the synced history; nothing is computed.
    case incomplete(IncompleteWindow)

    public var window: DoraWindow {
        switch self {
        case .complete(let metrics): metrics.window
        case .incomplete(let window): window.window
        }
    }

    /// The numbers; nil when the window is incomplete.
    public var metrics: WindowMetrics? {
        if case .complete(let metrics) = self { metrics } else { nil }
    }

    /// Why there are no numbers; nil when the window is complete.
    public var incomplete: IncompleteWindow? {
        if case .incomplete(let window) = self { window } else { nil }
    }

    public var isComplete: Bool { metrics != nil }

    /// `[start, end)`, as for `WindowMetrics`.
    public var start: Date {
        switch self {
        case .complete(let metrics): metrics.start
        case .incomplete(let window): window.start
        }
    }

    public var end: Date {
        switch self {
        case .complete(let metrics): metrics.end
        case .incomplete(let window): window.end
        }
    }
}

/// A window the synced history does not cover: reported as such, never as a number.
public struct IncompleteWindow: Sendable, Hashable {
    /// What the window needs that the synced history does not (yet) hold.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// Nothing is synced yet.
        case nothingSynced
        /// `all` starts at the first deployment ever, which only the whole history shows.
        case wholeHistory
        /// The window's start minus the attribution window is before the synced history.
        case beforeCoverage
        /// No deployment is synced, so whether any exists before the window (which grades frequency) is unknown.
        case deploymentsUnknown
        /// The deployment before the window's first deployment is not in the synced history (or the window's
        /// first deployment would be taken for the baseline).
        case previousDeployment
        /// A deployment in the window first-deploys a commit older than the synced history, meets a parent
        /// that is not synced, or deploys a commit that is not synced.
        case deploymentCommits
        /// A deploying workflow run names a tag whose commit is not synced, so whether it deploys the tracked
        /// branch is unknown.
        case unresolvedRuns
        /// An incident resolved in the window was opened too long before the synced history to tell which
        /// deployment it is attributed to.
        case incidentAttribution
        /// A CI failure streak beginning in the window may have begun before the synced history.
        case ciStreak
        /// Incidents include alerts, and the window (or an incident resolved in it, with the merge gap before
        /// it) reaches back before the product's alert record starts, or no alert is recorded yet (spec v1.3).
        case alertRecord

        /// One sentence for people.
        public var explanation: String {
            switch self {
            case .nothingSynced: "nothing is synced yet"
            case .wholeHistory: "the window starts at the first deployment ever, which needs the whole history"
            case .beforeCoverage: "the window, with the attribution window before it, starts before the synced history"
            case .deploymentsUnknown: "no deployment is synced yet, so whether there were any before is unknown"
            case .previousDeployment: "the deployment before the window's first deployment is older than the synced history"
            case .deploymentCommits: "a deployment in the window deploys commits older than the synced history"
            case .unresolvedRuns: "a deploying run names a tag whose commit is not synced yet"
            case .incidentAttribution: "an incident resolved in the window was opened before the synced history"
            case .ciStreak: "a CI failure streak in the window may have begun before the synced history"
            case .alertRecord: "the window reaches back before the alert record starts (the first alert received or imported)"
            }
        }
    }

    public var window: DoraWindow
    /// `[start, end)` as the window would be computed (`all`: from the first synced deployment).
    public var start: Date
    public var end: Date
    /// How far back the history reaches (for a group, its members' together: `HistoryCoverage.combined`).
    public var coverage: HistoryCoverage
    public var reason: Reason
    /// The repositories whose history falls short: the repository itself, or a group's members that do.
    public var repositories: [String]

    public init(
        window: DoraWindow, start: Date, end: Date, coverage: HistoryCoverage, reason: Reason, repositories: [String]
    ) {
        self.window = window
        self.start = start
        self.end = end
        self.coverage = coverage
        self.reason = reason
        self.repositories = repositories
    }
}

extension HistoryCoverage {
    /// The coverage of several histories read together (a group): none when any has none, else partial from the
    /// latest start of the partial ones, else complete.
    public static func combined(_ coverages: [HistoryCoverage]) -> HistoryCoverage {
        var latest: Date?
        for coverage in coverages {
            switch coverage {
            case .none: return .none
            case .partial(let from): latest = max(latest ?? from, from)
            case .complete: continue
            }
        }
        return latest.map { .partial(from: $0) } ?? .complete
    }
}
