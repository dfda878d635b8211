/// How a generated repository's `Deploy` workflow is triggered, and what it leaves behind.
public enum SimulatedDeployStyle: String, Sendable, Hashable, Codable, CaseIterable {
    /// On each published release (`on: release`): runs with event `release` and the tag as `head_branch`,
    /// then GitHub Deployments to `staging` and `production`.
    case onRelease = "release"
    /// Release-on-tag (`on: push: tags: ['v*']`), tagging every 6 to 15 main-branch commits: one run per pushed tag with event `push` and the **tag name**
    /// as `head_branch`, as GitHub reports it; failures (some left, some re-run to success with `run_attempt`
    /// 2 or 3), timeouts and cancelled runs; a few manual runs from feature branches that deploy nothing.
    /// Each attempt that reaches the Actions environment `prod` creates a GitHub Deployment there with
    /// `auto_inactive`: a successful deployment gets an `inactive` status when the next one succeeds.
    case onTagPush = "tag-push"
}
