/// How the team behind a generated repository works: how often it commits and ships, and how often production
/// breaks and for how long. The same profile and seed give the same data.
public struct SimulatedTeamProfile: Sendable, Hashable {
    /// Mean hours between two commits; nil: about two a day, denser for very large histories so that they span at
    /// most about five years.
    public var hoursBetweenCommits: Double?
    /// Main-branch commits between two tags; nil: by the deploy style (30 to 60, release-on-tag 6 to 15).
    public var mainCommitsBetweenTags: ClosedRange<Int>?
    /// Share of issues labelled `incident`.
    public var incidentShare: Double
    /// Share of `bug` issues also labelled `prod` (incidents under the rule `bug&prod`).
    public var productionBugShare: Double
    /// Whether an incident (an issue labelled `incident`, or `bug` and `prod`) is resolved in hours to days and
    /// stays open only while that is still ahead. Without, some incidents stay open for good or are reopened, and
    /// `bug&prod` issues take as long as any issue (up to two months).
    public var incidentsResolve: Bool
    /// Scales the chance that a deployment attempt fails (1: as generated for the tests).
    public var deploymentFailureScale: Double
    /// Incidents opened in the last hours before `now` and still being worked on.
    public var incidentsOpenNow: Int

    public init(
        hoursBetweenCommits: Double? = nil, mainCommitsBetweenTags: ClosedRange<Int>? = nil, incidentShare: Double = 0.15,
        productionBugShare: Double = 0.2, incidentsResolve: Bool = false, deploymentFailureScale: Double = 1,
        incidentsOpenNow: Int = 0
    ) {
        self.hoursBetweenCommits = hoursBetweenCommits
        self.mainCommitsBetweenTags = mainCommitsBetweenTags
        self.incidentShare = incidentShare
        self.productionBugShare = productionBugShare
        self.incidentsResolve = incidentsResolve
        self.deploymentFailureScale = deploymentFailureScale
        self.incidentsOpenNow = incidentsOpenNow
    }

    /// Dense in what the DORA engine must handle (many incidents, some never closed, frequent failed attempts): the
    /// profile of the tests.
    public static let standard = SimulatedTeamProfile()

    /// A team as DORA's surveys find them (the demo): about twelve commits a day, a deployment most days, a change
    /// failure rate and rework rate in the tens of percent, incidents resolved within hours to days, and one being
    /// worked on now.
    public static let steadyTeam = SimulatedTeamProfile(
        hoursBetweenCommits: 2, mainCommitsBetweenTags: 6...15, incidentShare: 0.03, productionBugShare: 0.05,
        incidentsResolve: true, deploymentFailureScale: 0.5, incidentsOpenNow: 1)
}
