/// Which workflow runs deploy the tracked branch (spec v1.2): a run whose `head_branch` is the tracked
/// branch, or is the name of a tag of the repository pointing at a commit of the tracked branch's graph
/// (a run triggered by pushing a tag reports the tag name as `head_branch`).
struct DeployingRunSelection {
    enum Verdict: Equatable {
        case trackedBranch
        case tagOnGraph
        /// A tag of the repository whose commit is not in the synced graph of the tracked branch.
        case tagOffGraph
        /// Neither the tracked branch nor a tag (a feature branch, or a tag that was not synced).
        case otherBranch
    }

    let trackedBranch: String
    private let tagsOnGraph: Set<String>
    private let tagNames: Set<String>

    /// The graph is the commits dated (by `committedAt`) before `asOf`, as `CommitGraph` builds it.
    init(data: RepositoryData, trackedBranch: String, asOf: Double) {
        self.trackedBranch = trackedBranch
        var namesByCommit: [String: [String]] = [:]
        for tag in data.tags { namesByCommit[tag.commitSha, default: []].append(tag.name) }
        var onGraph: Set<String> = []
        if !namesByCommit.isEmpty {
            for commit in data.commits where commit.committedAt.timeIntervalSince1970 < asOf {
                if let names = namesByCommit[commit.sha] { onGraph.formUnion(names) }
            }
        }
        self.tagsOnGraph = onGraph
        self.tagNames = Set(data.tags.map(\.name))
    }

    func verdict(_ run: WorkflowRunRecord) -> Verdict {
        guard let branch = run.headBranch else { return .otherBranch }
        if branch == trackedBranch { return .trackedBranch }
        if tagsOnGraph.contains(branch) { return .tagOnGraph }
        return tagNames.contains(branch) ? .tagOffGraph : .otherBranch
    }

    func counts(_ run: WorkflowRunRecord) -> Bool {
        switch verdict(run) {
        case .trackedBranch, .tagOnGraph: true
        case .tagOffGraph, .otherBranch: false
        }
    }
}
