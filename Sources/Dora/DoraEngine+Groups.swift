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
    /// earliest first deployment of any member. Levels use `benchmark`. A window is complete only when the synced
    /// history of every member covers it; otherwise it is incomplete, naming the members that fall short.
    public static func groupReport(
        group: String, members: [GroupMember], windows: [DoraWindow], asOf: Date, benchmark: DoraDefinitions.Benchmark
    ) throws(DoraError) -> GroupReport {
        var calculators: [WindowCalculator] = []
        calculators.reserveCapacity(members.count)
        for member in members {
            let analysis = try DoraAnalysis(data: member.data, definitions: member.definitions, asOf: asOf)
            calculators.append(try WindowCalculator(analysis: analysis, data: member.data))
        }
        let asOfSeconds = asOf.timeIntervalSince1970
        let firstDeployment = calculators.compactMap { $0.analysis.deploymentTimes.first }.min()
        let hasDeployments = calculators.contains { $0.analysis.hasDeployments }
        let coverage = HistoryCoverage.combined(members.map(\.data.coverage))
        var results: [WindowResult] = []
        results.reserveCapacity(windows.count)
        for window in windows {
            let start = try WindowCalculator.start(of: window, asOf: asOfSeconds, firstDeployment: firstDeployment)
            let shortfalls = calculators.compactMap { calculator in
                calculator.incompleteness(of: window, start: start).map { (calculator.repository, $0) }
            }
            if let first = shortfalls.first {
                results.append(
                    .incomplete(
                        IncompleteWindow(
                            window: window, start: Date(timeIntervalSince1970: start), end: asOf, coverage: coverage,
                            reason: first.1, repositories: shortfalls.map(\.0))))
                continue
            }
            var events = WindowEvents()
            for calculator in calculators { events.merge(calculator.events(from: start)) }
            results.append(
                .complete(
                    events.metrics(
                        window: window, start: start, asOf: asOfSeconds, benchmark: benchmark, hasDeployments: hasDeployments)))
        }
        return GroupReport(
            group: group, repositories: members.map(\.data.repository), asOf: asOf,
            openIncidents: calculators.reduce(0) { $0 + $1.analysis.openIncidents }, hasDeployments: hasDeployments,
            coverage: coverage, windowResults: results)
    }
}
