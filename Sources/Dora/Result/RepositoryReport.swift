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
    public var windows: [WindowMetrics]

    public init(repository: String, asOf: Date, definitions: DoraDefinitions, openIncidents: Int, hasDeployments: Bool, windows: [WindowMetrics]) {
        self.repository = repository
        self.asOf = asOf
        self.definitions = definitions
        self.openIncidents = openIncidents
        self.hasDeployments = hasDeployments
        self.windows = windows
    }
}
