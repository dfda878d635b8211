import Dora
import Foundation

/// Everything the status page at `/` shows, gathered at the same refresh as the metrics snapshot and from the
/// same reports, so the page and `/metrics` always agree.
public struct StatusPageContent: Sendable, Hashable {
    /// When the snapshot was computed.
    public var asOf: Date
    /// One DORA report per repository (the reports the metrics snapshot is built from).
    public var reports: [RepositoryReport]
    /// One DORA report per group (team), from the members' events together.
    public var groups: [GroupReport]
    /// Sync health per repository.
    public var syncHealth: [RepositorySyncHealth]
    /// The last rate-limit reading per resource.
    public var rateLimits: [RateLimitReading]
    /// DORA values at past instants; nil draws no trend charts.
    public var trend: DoraTrend?
    /// The running binary's version, shown in the footer.
    public var build: BuildInfo

    public init(
        asOf: Date, reports: [RepositoryReport], groups: [GroupReport] = [], syncHealth: [RepositorySyncHealth] = [],
        rateLimits: [RateLimitReading] = [], trend: DoraTrend? = nil, build: BuildInfo
    ) {
        self.asOf = asOf
        self.reports = reports
        self.groups = groups
        self.syncHealth = syncHealth
        self.rateLimits = rateLimits
        self.trend = trend
        self.build = build
    }
}
