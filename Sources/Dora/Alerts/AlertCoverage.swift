import Foundation

/// Coverage of the alert record (spec v1.3, "Coverage"): when a repository's incidents include alerts, a window
/// is complete only when the alert record starts at or before `start - mergeGap` (an incident opened in the
/// window could otherwise have joined an unrecorded signal before it), and every incident with alerts resolved in
/// the window opened at least `mergeGap` after the record starts (its time to restore could otherwise begin
/// earlier). No record at all (nothing received or imported yet) covers no window.
enum AlertCoverage {
    static func reason(start: Double, analysis a: DoraAnalysis, recordStart: Date?) -> IncompleteWindow.Reason? {
        guard a.definitions.incidentSource.readsAlerts else { return nil }
        guard let recordStart else { return .alertRecord }
        let from = recordStart.timeIntervalSince1970
        let gap = a.definitions.alerts.mergeGap
        if start - gap < from { return .alertRecord }
        for incident in a.incidents where incident.origin != .issue {
            if let closed = incident.closed, closed >= start, incident.opened - gap < from { return .alertRecord }
        }
        return nil
    }
}
