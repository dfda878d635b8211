import Foundation

extension SimulatedRepository {
    /// A synthetic repository whose main-branch history of `commits` commits ends shortly before `now`, with tags,
    /// releases, issues and pull requests, workflows and runs, and deployments. The same inputs give the same data.
    /// `deployStyle` says how its `Deploy` workflow is triggered (see `SimulatedDeployStyle`); `profile`, how often
    /// the team ships and breaks production (see `SimulatedTeamProfile`).
    public static func generated(
        owner: String, name: String, seed: UInt64, commits: Int, now: Date, deployStyle: SimulatedDeployStyle = .onRelease,
        profile: SimulatedTeamProfile = .standard
    ) -> SimulatedRepository {
        var rng = SplitMix64(seed: seed ^ SplitMix64.hash("\(owner)/\(name)".lowercased()))
        let repositoryID = repositoryID(for: "\(owner)/\(name)")
        var shape = CommitGenerator.shape(
            owner: owner, seed: seed, count: commits, now: now,
            tagSpacing: profile.mainCommitsBetweenTags ?? (deployStyle == .onTagPush ? 6...15 : 30...60),
            hoursBetweenCommits: profile.hoursBetweenCommits, rng: &rng)
        let activity = ActivityGenerator.derive(
            &shape, repositoryID: repositoryID, deployStyle: deployStyle, profile: profile, rng: &rng)
        return SimulatedRepository(
            owner: owner, name: name, id: repositoryID, defaultBranch: shape.defaultBranch, commits: shape.commits,
            tags: shape.tags, releases: shape.releases, issues: activity.issues, workflows: activity.workflows,
            runs: activity.runs, deployments: activity.deployments,
            createdAt: shape.commits.first?.committerDate.addingTimeInterval(-86_400) ?? now.addingTimeInterval(-86_400))
    }
}
