import Foundation

/// One member of a group: a repository's data and its own definitions (its deployment source, incident
/// rules, branch), applied within the repository before anything is combined.
public struct GroupMember: Sendable {
    public var data: RepositoryData
    public var definitions: DoraDefinitions

    public init(data: RepositoryData, definitions: DoraDefinitions) {
        self.data = data
        self.definitions = definitions
    }
}

extension DoraEngine {
    /// A group's numbers for each window at `asOf` (`docs/dora.md`, "Groups"): each member is analysed
    /// alone (deployment order, first-deployed commits and baseline, attribution, rework, CI streaks), then the
    /// window's events of all members are united and the statistics taken over the union. `all` starts at the
    /// earliest first deployment of any member. Levels use `benchmark`.
    public static func groupReport(
        group: String, members: [GroupMember], windows: [DoraWindow], asOf: Date, benchmark: DoraDefinitions.Benchmark
    ) throws(DoraError) -> GroupReport {
        var calculators: [WindowCalculator] = []
        calculators.reserveCapacity(members.count)
        for member in members {
            let analysis = try DoraAnalysis(data: member.data, definitions: member.definitions, asOf: asOf)
            calculators.append(WindowCalculator(analysis: analysis, workflowRuns: member.data.workflowRuns))
        }
        let asOfSeconds = asOf.timeIntervalSince1970
        let firstDeployment = calculators.compactMap { $0.analysis.deploymentTimes.first }.min()
        let hasDeployments = calculators.contains { $0.analysis.hasDeployments }
        var metrics: [WindowMetrics] = []
        metrics.reserveCapacity(windows.count)
        for window in windows {
            let start = try WindowCalculator.start(of: window, asOf: asOfSeconds, firstDeployment: firstDeployment)
            var events = WindowEvents()
            for calculator in calculators { events.merge(calculator.events(from: start)) }
            metrics.append(
                events.metrics(window: window, start: start, asOf: asOfSeconds, benchmark: benchmark, hasDeployments: hasDeployments))
        }
        return GroupReport(
            group: group, repositories: members.map(\.data.repository), asOf: asOf,
            openIncidents: calculators.reduce(0) { $0 + $1.analysis.openIncidents }, hasDeployments: hasDeployments,
            windows: metrics)
    }
}
