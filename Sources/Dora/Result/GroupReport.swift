import Foundation

/// The engine's answer for a group of repositories (a team, a service) at `asOf`: every number computed from
/// the union of the members' events (`docs/dora.md`, "Groups"), never from their statistics.
public struct GroupReport: Sendable, Hashable {
    public var group: String
    /// The member repositories, in the order given.
    public var repositories: [String]
    public var asOf: Date
    /// Incidents open at `asOf`, summed over the members.
    public var openIncidents: Int
    /// Whether any member has a deployment before `asOf`.
    public var hasDeployments: Bool
    /// The members' coverage together (`HistoryCoverage.combined`).
    public var coverage: HistoryCoverage
    /// Every requested window in order: complete only when it is complete for every member.
    public var windowResults: [WindowResult]

    /// The complete windows' numbers, in the requested order (see `windowResults` for the incomplete ones).
    public var windows: [WindowMetrics] {
        get { windowResults.compactMap(\.metrics) }
        set { windowResults = newValue.map(WindowResult.complete) }
    }

    /// A report whose windows are all complete.
    public init(group: String, repositories: [String], asOf: Date, openIncidents: Int, hasDeployments: Bool, windows: [WindowMetrics]) {
        self.init(
            group: group, repositories: repositories, asOf: asOf, openIncidents: openIncidents, hasDeployments: hasDeployments,
            coverage: .complete, windowResults: windows.map(WindowResult.complete))
    }

    public init(
        group: String, repositories: [String], asOf: Date, openIncidents: Int, hasDeployments: Bool,
        coverage: HistoryCoverage, windowResults: [WindowResult]
    ) {
        self.group = group
        self.repositories = repositories
        self.asOf = asOf
        self.openIncidents = openIncidents
        self.hasDeployments = hasDeployments
        self.coverage = coverage
        self.windowResults = windowResults
    }
}
