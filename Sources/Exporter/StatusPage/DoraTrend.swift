import Dora
import Foundation

/// DORA reports of one window at a series of past instants (oldest first): what `report --as-of` gives at
/// each of them. The status page draws its trend charts from these.
public struct DoraTrend: Sendable, Hashable {
    /// The reports at one instant.
    public struct Point: Sendable, Hashable {
        public var asOf: Date
        public var reports: [RepositoryReport]

        public init(asOf: Date, reports: [RepositoryReport]) {
            self.asOf = asOf
            self.reports = reports
        }
    }

    /// The window every point was computed for (one window keeps the charts comparable).
    public var window: DoraWindow
    /// Points in time order, oldest first.
    public var points: [Point]

    public init(window: DoraWindow, points: [Point]) {
        self.window = window
        self.points = points
    }

    /// The metrics of `repository` in the trend window at each point, nil where it has no report.
    public func series(for repository: String) -> [WindowMetrics?] {
        points.map { point in
            point.reports.first { $0.repository == repository }?.windows.first { $0.window.name == window.name }
        }
    }
}
