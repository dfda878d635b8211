import Dora
import Exporter
import Foundation
import TwinConfig

/// The status page's trend: DORA reports of the 30-day window at weekly instants over the last weeks, each
/// computed exactly as `report --as-of` and `backfill` compute that instant (`DoraReports.reports`).
enum StatusPageTrend {
    /// The window every trend point is computed for.
    static let window = DoraWindow.days(30)
    /// Weeks of history before `asOf`; the chart has one point more (`asOf` itself).
    static let weeks = 12
    static let step: TimeInterval = 7 * 86_400

    static func compute(data: [String: RepositoryData], repositories: [RepositorySettings], asOf: Date) throws -> DoraTrend {
        let points = try (0...weeks).reversed().map { weeksBack in
            let instant = asOf.addingTimeInterval(-Double(weeksBack) * step)
            return DoraTrend.Point(
                asOf: instant, reports: try DoraReports.reports(data: data, repositories: repositories, windows: [window], asOf: instant))
        }
        return DoraTrend(window: window, points: points)
    }
}
