import Foundation

/// An incident as knowable at `asOf`.
struct IncidentFact {
    var number: Int
    var opened: Double
    /// nil when open at `asOf` (never closed, reopened, or closed at or after `asOf`).
    var closed: Double?
    /// Index of the deployment it is attributed to.
    var attributedTo: Int?
    var origin: IncidentOrigin = .issue
    /// For incidents with alerts: the alert names and `generatorURL`s of its signals, sorted.
    var alertNames: [String] = []
    var generatorURLs: [String] = []
    /// The issues merged into it (an issue incident: its own number).
    var issueNumbers: [Int] = []
}

/// The derived facts every window is computed from: deployments in (time, sha) order with their
/// first-deployed commits, failed attempts, incidents with their attribution.
struct DoraAnalysis {
    let asOf: Double
    let definitions: DoraDefinitions
    let deployments: [DeploymentFact]
    let deploymentTimes: [Double]
    /// Per deployment: its commit's index in the graph, or -1 when untracked.
    let commitIndex: [Int32]
    let failed: [FailedAttemptFact]
    let failedTimes: [Double]
    let graph: CommitGraph
    /// CSR: commits first deployed by deployment `d` are `firstDeployed[firstDeployedStart[d] ..< firstDeployedStart[d + 1]]`.
    let firstDeployedStart: [Int]
    let firstDeployed: [Int32]
    /// CSR: lead-time samples (> 0) of deployment `d` are `samples[sampleStart[d] ..< sampleStart[d + 1]]`.
    let sampleStart: [Int]
    let samples: [Double]
    /// Per deployment: first-deployed commits whose lead time was <= 0.
    let skewed: [Int32]
    let hasAttributedIncident: [Bool]
    let isRework: [Bool]
    let incidents: [IncidentFact]

    init(data: RepositoryData, definitions: DoraDefinitions, asOf date: Date) throws(DoraError) {
        guard definitions.alerts.mergeGap >= 0, definitions.alerts.mergeGap.isFinite else {
            throw DoraError(kind: .invalidDefinitions, "incidents.alerts.mergeGap must be a non-negative duration")
        }
        guard definitions.attributionWindow >= 0, definitions.attributionWindow.isFinite else {
            throw DoraError(
                kind: .invalidDefinitions,
                "attributionWindow must be a non-negative number of seconds, got \(definitions.attributionWindow)")
        }
        let asOf = date.timeIntervalSince1970
        self.asOf = asOf
        self.definitions = definitions
        let (deployments, failed) = try DeploymentCollector.collect(data, definitions: definitions, asOf: asOf)
        self.deployments = deployments
        self.deploymentTimes = deployments.map(\.time)
        self.failed = failed
        self.failedTimes = failed.map(\.time)

        // Lead time: one linear walk over the whole history.
        var graph = CommitGraph(commits: data.commits, commitTime: definitions.commitTime, asOf: date)
        var commitIndex = [Int32](repeating: -1, count: deployments.count)
        var firstDeployedStart = [Int](repeating: 0, count: deployments.count + 1)
        var firstDeployed: [Int32] = []
        var sampleStart = [Int](repeating: 0, count: deployments.count + 1)
        var samples: [Double] = []
        var skewed = [Int32](repeating: 0, count: deployments.count)
        samples.reserveCapacity(graph.count)
        firstDeployed.reserveCapacity(graph.count)
        for (d, deployment) in deployments.enumerated() {
            if let commit = graph.lookup(deployment.sha) {
                commitIndex[d] = commit
                let from = firstDeployed.count
                graph.deployAncestors(of: commit, into: &firstDeployed)
                let yieldsSamples = d > 0 || definitions.includeBaseline
                if yieldsSamples {
                    var skewedHere: Int32 = 0
                    for k in from..<firstDeployed.count {
                        let lead = deployment.time - graph.times[Int(firstDeployed[k])]
                        if lead > 0 { samples.append(lead) } else { skewedHere += 1 }
                    }
                    skewed[d] = skewedHere
                }
            }
            firstDeployedStart[d + 1] = firstDeployed.count
            sampleStart[d + 1] = samples.count
        }
        self.graph = graph
        self.commitIndex = commitIndex
        self.firstDeployedStart = firstDeployedStart
        self.firstDeployed = firstDeployed
        self.sampleStart = sampleStart
        self.samples = samples
        self.skewed = skewed

        // Incidents, as knowable at asOf (issues, alerts or both: spec v1.3), attributed to the latest deployment
        // at or before their opening.
        let rules = IncidentRules(definitions.incidentRules)
        var incidents: [IncidentFact] = []
        var hasAttributed = [Bool](repeating: false, count: deployments.count)
        let times = deploymentTimes
        var parts: [IncidentPart] = []
        if definitions.incidentSource.readsIssues {
            for issue in data.issues where !issue.isPullRequest {
                let opened = issue.createdAt.timeIntervalSince1970
                guard opened < asOf, rules.matches(issue.labels) else { continue }
                var closed: Double? = nil
                if issue.state != "open", let closedAt = issue.closedAt?.timeIntervalSince1970, closedAt < asOf {
                    if issue.stateReason == "not_planned" { continue }
                    closed = max(closedAt, opened)
                }
                parts.append(IncidentPart(start: opened, end: closed, issueNumber: issue.number))
            }
        }
        if definitions.incidentSource == .issues {
            incidents = parts.map {
                IncidentFact(number: $0.issueNumber ?? 0, opened: $0.start, closed: $0.end, issueNumbers: [$0.issueNumber ?? 0])
            }
        } else {
            parts += try IncidentMerge.alertParts(
                data.alertSignals, repository: data.repository, alerts: definitions.alerts, asOf: date)
            incidents = IncidentMerge.merge(parts, mergeGap: definitions.alerts.mergeGap).map {
                IncidentFact(
                    number: $0.issueNumbers.first ?? 0, opened: $0.opened, closed: $0.closed, origin: $0.origin,
                    alertNames: $0.alertNames, generatorURLs: $0.generatorURLs, issueNumbers: $0.issueNumbers)
            }
        }
        for i in incidents.indices {
            // Last deployment with time <= opened.
            let opened = incidents[i].opened
            let upper = Self.partition(times) { $0 <= opened }
            if upper > 0, opened - times[upper - 1] <= definitions.attributionWindow {
                incidents[i].attributedTo = upper - 1
                hasAttributed[upper - 1] = true
            }
        }
        incidents.sort { ($0.opened, $0.number) < ($1.opened, $1.number) }
        self.incidents = incidents
        self.hasAttributedIncident = hasAttributed

        // Rework: an incident open at the deployment's time (opened <= t < closed, or still open).
        let openedSorted = incidents.map(\.opened).sorted()
        let closedSorted = incidents.compactMap(\.closed).sorted()
        self.isRework = times.map { t in
            Self.partition(openedSorted) { $0 <= t } - Self.partition(closedSorted) { $0 <= t } > 0
        }
    }

    var hasDeployments: Bool { !deployments.isEmpty }

    var openIncidents: Int { incidents.lazy.filter { $0.closed == nil }.count }

    /// Index of the first element for which `belongsBefore` is false (`values` partitioned by it).
    static func partition(_ values: [Double], _ belongsBefore: (Double) -> Bool) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let mid = (low + high) / 2
            if belongsBefore(values[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
