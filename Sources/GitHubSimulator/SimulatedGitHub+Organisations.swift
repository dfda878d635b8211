import Foundation

extension SimulatedGitHub {
    static let repositoryTypes = ["all", "public", "private", "forks", "sources", "member"]
    static let repositorySorts = ["created", "updated", "pushed", "full_name"]

    /// The repositories whose owner is `organisation` (case-insensitive), in no particular order.
    public func repositories(ofOrganisation organisation: String) -> [SimulatedRepository] {
        let owner = organisation.lowercased()
        return state.withLock { state in
            state.repositories.values.map(\.repository).filter { $0.owner.lowercased() == owner }
        }
    }

    /// Archives or unarchives a repository (it stays readable; discovery reports `archived`).
    public func setArchived(_ fullName: String, _ archived: Bool) {
        update(fullName) { $0.archived = archived }
    }

    /// Replaces a repository's topics.
    public func setTopics(_ fullName: String, _ topics: [String]) {
        update(fullName) { $0.topics = topics }
    }

    /// Marks a repository as a fork (or not).
    public func setFork(_ fullName: String, _ fork: Bool) {
        update(fullName) { $0.fork = fork }
    }

    /// Adds or replaces several repositories at once (e.g. new repositories appearing in an organisation).
    public func add(_ repositories: [SimulatedRepository]) {
        for repository in repositories { add(repository) }
    }

    /// Whether `login` is an organisation the simulator knows: it owns a repository or has an app installed.
    func organisationExists(_ login: String) -> Bool {
        let lower = login.lowercased()
        if apps.contains(where: { $0.installations.contains { $0.account.lowercased() == lower } }) { return true }
        return state.withLock { state in state.repositories.values.contains { $0.repository.owner.lowercased() == lower } }
    }

    /// `GET /orgs/{org}/repos`: `type`, `sort`, `direction`, `per_page`, `page`, as GitHub documents them.
    func organisationRepositories(_ organisation: String, request: SimulatedHTTPRequest, baseURL: String, credential: SimulatedCredential)
        -> RouteResult
    {
        let query = QueryItems(request.query)
        let type = query.value("type") ?? "all"
        guard Self.repositoryTypes.contains(type) else {
            return Self.errorResult(422, "Validation Failed: type must be one of \(Self.repositoryTypes.joined(separator: ", "))")
        }
        let sort = query.value("sort") ?? "created"
        guard Self.repositorySorts.contains(sort) else {
            return Self.errorResult(422, "Validation Failed: sort must be one of \(Self.repositorySorts.joined(separator: ", "))")
        }
        let direction = query.value("direction") ?? (sort == "full_name" ? "asc" : "desc")
        guard direction == "asc" || direction == "desc" else {
            return Self.errorResult(422, "Validation Failed: direction must be asc or desc")
        }
        guard organisationExists(organisation) else { return Self.errorResult(404, "Not Found") }
        var selected = repositories(ofOrganisation: organisation).filter { repository in
            guard canSee(credential, repository.fullName) else { return false }
            switch type {
            case "public": return repository.visibility == .public
            case "private": return repository.visibility != .public
            case "forks": return repository.fork
            case "sources": return !repository.fork
            default: return true
            }
        }
        func key(_ repository: SimulatedRepository) -> Date {
            sort == "created" ? repository.createdAt : RepositoryJSON(base: baseURL, repository: repository).pushedAt
        }
        selected.sort { a, b in
            if sort != "full_name" {
                let (x, y) = (key(a), key(b))
                if x != y { return direction == "asc" ? x < y : x > y }
            }
            let (x, y) = (a.fullName.lowercased(), b.fullName.lowercased())
            return direction == "asc" || sort != "full_name" ? x < y : x > y
        }
        return listPage(request, baseURL: baseURL, count: selected.count) {
            RepositoryJSON(base: baseURL, repository: selected[$0]).full()
        }
    }

    /// `GET /installation/repositories`: the repositories an installation token can read, by full name.
    func installationRepositories(request: SimulatedHTTPRequest, baseURL: String, credential: SimulatedCredential) -> RouteResult {
        guard case .installation(let id) = credential, let record = installationRecord(id) else {
            return Self.errorResult(
                403, "You must authenticate with an installation access token in order to list repositories for an installation.",
                documentation: "https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation")
        }
        let installation = record.installation
        let selected = repositories(ofOrganisation: installation.account)
            .filter { record.covers($0.fullName) }
            .sorted { $0.fullName.lowercased() < $1.fullName.lowercased() }
        let total = selected.count
        return listPage(
            request, baseURL: baseURL, count: total,
            wrap: { #"{"total_count":\#(total),"repository_selection":"\#(installation.repositorySelection)","repositories":\#($0)}"# }
        ) { RepositoryJSON(base: baseURL, repository: selected[$0]).full() }
    }
}
