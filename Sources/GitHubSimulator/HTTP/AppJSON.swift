import Foundation

/// Renders a GitHub App (`integration`) and its installations (`installation`) as GitHub's JSON.
struct AppJSON {
    let base: String
    let app: SimulatedApp

    private typealias J = JSONText

    /// When the simulated apps and installations were created: a fixed time, so bodies and ETags are stable.
    static let createdAt = Date(timeIntervalSince1970: 1_704_067_200)

    /// Read access to what devops-twin syncs (the permissions the app asks for).
    static let permissions =
        #"{"actions":"read","contents":"read","deployments":"read","issues":"read","metadata":"read","pull_requests":"read"}"#

    /// `GET /app`.
    func integration() -> String {
        let owner = app.installations.first?.account ?? app.slug
        return """
            {"id":\(app.id),"slug":\(J.string(app.slug)),"node_id":"\(GitHubRenderer.nodeID("A", String(app.id)))",\
            "client_id":\(J.string(app.clientID)),"owner":\(GitHubRenderer.user(owner, base: base, type: "Organization")),\
            "name":\(J.string(app.slug)),"description":null,"external_url":"https://example.com/\(GitHubRenderer.pathComponent(app.slug))",\
            "html_url":"https://github.com/apps/\(GitHubRenderer.pathComponent(app.slug))","created_at":\(J.date(Self.createdAt)),\
            "updated_at":\(J.date(Self.createdAt)),"permissions":\(Self.permissions),\
            "events":["push","release","workflow_run","deployment_status","issues"],\
            "installations_count":\(app.installations.count)}
            """
    }

    /// `GET /app/installations[/{id}]`, `GET /orgs/{org}/installation`, `GET /repos/{owner}/{repo}/installation`.
    func installation(_ installation: SimulatedInstallation) -> String {
        let account = installation.account
        return """
            {"id":\(installation.id),"client_id":\(J.string(app.clientID)),\
            "account":\(GitHubRenderer.user(account, base: base, type: "Organization")),\
            "repository_selection":"\(installation.repositorySelection)",\
            "access_tokens_url":"\(base)/app/installations/\(installation.id)/access_tokens",\
            "repositories_url":"\(base)/installation/repositories",\
            "html_url":"https://github.com/organizations/\(GitHubRenderer.pathComponent(account))/settings/installations/\(installation.id)",\
            "app_id":\(app.id),"app_slug":\(J.string(app.slug)),"target_id":\(SimulatedRepository.userID(forLogin: account)),\
            "target_type":"Organization","permissions":\(Self.permissions),\
            "events":["push","release","workflow_run","deployment_status","issues"],\
            "created_at":\(J.date(Self.createdAt)),"updated_at":\(J.date(Self.createdAt)),"single_file_name":null,\
            "has_multiple_single_files":false,"single_file_paths":[],"suspended_by":null,"suspended_at":null}
            """
    }
}
