import Foundation

/// The engine's answer for one repository at `asOf`.
public struct RepositoryReport: Sendable, Hashable {
    public var repository: String
    public var asOf: Date
    public var definitions: DoraDefinitions
    /// Incidents open at `asOf`.
    public var openIncidents: Int
    /// Whether any deployment (tracked or not) exists before `asOf`.
    public var hasDeployments: Bool
    /// How far back the history the report was computed from reaches.
    public var coverage: HistoryCoverage
    /// The incidents known at `asOf`, oldest first, each with its source (issue, alert or both) and, for
    /// alerts, the alert names (spec v1.3).
    public var incidents: [DeploymentTimeline.Incident] = []
    /// Every requested window in the requested order, complete (with numbers) or incomplete (without).
    public var windowResults: [WindowResult]

    /// The complete windows' numbers, in the requested order; an incomplete window has none and is not here
    /// (see `windowResults`). Setting it replaces every window with complete ones.
    public var windows: [WindowMetrics] {
        get { windowResults.compactMap(\.metrics) }
        set { windowResults = newValue.map(WindowResult.complete) }
    }

    /// A report whose windows are all complete.
    public init(repository: String, asOf: Date, definitions: DoraDefinitions, openIncidents: Int, hasDeployments: Bool, windows: [WindowMetrics]) {
        self.init(
            repository: repository, asOf: asOf, definitions: definitions, openIncidents: openIncidents,
            hasDeployments: hasDeployments, coverage: .complete, windowResults: windows.map(WindowResult.complete))
    }

    public init(
        repository: String, asOf: Date, definitions: DoraDefinitions, openIncidents: Int, hasDeployments: Bool,
        coverage: HistoryCoverage, windowResults: [WindowResult]
    ) {
        self.repository = repository
        self.asOf = asOf
        self.definitions = definitions
        self.openIncidents = openIncidents
        self.hasDeployments = hasDeployments
        self.coverage = coverage
        self.windowResults = windowResults
    }
}
