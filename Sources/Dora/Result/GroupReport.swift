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
    public var windows: [WindowMetrics]

    public init(group: String, repositories: [String], asOf: Date, openIncidents: Int, hasDeployments: Bool, windows: [WindowMetrics]) {
        self.group = group
        self.repositories = repositories
        self.asOf = asOf
        self.openIncidents = openIncidents
        self.hasDeployments = hasDeployments
        self.windows = windows
    }
}
