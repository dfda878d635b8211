import Sync
import TwinConfig

/// A targeted sync to run: which configured repository, limited to which entities.
public struct WebhookRoute: Sendable, Hashable {
    /// The configured repository's name (the `repository` label).
    public var repository: String
    public var entities: Set<SyncEntity>

    public init(repository: String, entities: Set<SyncEntity>) {
        self.repository = repository
        self.entities = entities
    }
}

/// An App installation gained or lost repositories (`installation`, `installation_repositories`): what a
/// repository discovery needs to know. devops-twin hands it to the `RepositorySetChangeHandler`.
public struct RepositorySetChange: Sendable, Hashable {
    public var event: WebhookEvent
    public var action: String
    public var installationID: Int?
    /// `owner/name` of repositories now reachable through the installation.
    public var added: [String]
    /// `owner/name` of repositories no longer reachable (for `deleted`/`suspend`, all the payload lists).
    public var removed: [String]

    public init(event: WebhookEvent, action: String, installationID: Int?, added: [String], removed: [String]) {
        self.event = event
        self.action = action
        self.installationID = installationID
        self.added = added
        self.removed = removed
    }
}

/// What a verified delivery asks for.
public enum WebhookAction: Sendable, Hashable {
    case ping
    /// Targeted syncs, one per configured repository the event concerns.
    case sync([WebhookRoute])
    case repositorySetChanged(RepositorySetChange)
    /// Nothing to do, and why (for the answer and the debug log).
    case ignored(String)
    /// The repository (as named by the payload) is not configured.
    case unknownRepository(String)
}

/// Maps a verified delivery onto the configured repositories and the entities to sync. A configured repository
/// may read each kind of data from another repository (`sources`), so an event on repository X concerns every
/// configured repository reading that kind of data from X.
public struct WebhookRouter: Sendable {
    let repositories: [RepositorySettings]

    public init(repositories: [RepositorySettings]) {
        self.repositories = repositories
    }

    /// The action for a verified delivery of `event` with `payload`.
    func action(event: WebhookEvent, payload: WebhookPayload) -> WebhookAction {
        switch event {
        case .ping:
            return .ping
        case .installation, .installationRepositories:
            return .repositorySetChanged(repositorySetChange(event: event, payload: payload))
        case .other:
            return .ignored("this event is not used; select the events listed in docs/webhooks.md")
        default:
            break
        }
        guard let source = payload.repository?.fullName else {
            return .ignored("the payload names no repository")
        }
        switch event {
        case .push:
            let ref = payload.ref ?? ""
            if ref.hasPrefix("refs/tags/") { return routes(source, [.tags]) }
            return routes(source, [.commits], filtered: "push to \(ref), not a tracked branch") { "refs/heads/\($0.branch)" == ref }
        case .create, .delete:
            guard payload.refType == "tag" else { return .ignored("\(event.rawValue) of a \(payload.refType ?? "ref"), not a tag") }
            return routes(source, [.tags])
        case .release:
            return routes(source, [.releases, .tags])
        case .issues, .label:
            return routes(source, [.issues])
        case .workflowRun:
            return routes(source, [.workflowRuns])
        case .deployment, .deploymentStatus:
            return routes(source, [.deployments], filtered: "no repository reading \(source) counts GitHub Deployments") {
                if case .deployments = $0.definitions.deploymentSource { return true }
                return false
            }
        case .repository:
            // renamed/transferred: the configured name may be the old one; archived/deleted: the check says so.
            let names = [source] + (payload.previousFullName.map { [$0] } ?? [])
            let matched = repositories.filter { settings in
                names.contains { name in Self.sources(of: settings).contains { $0.lowercased() == name.lowercased() } }
            }
            guard !matched.isEmpty else { return .unknownRepository(source) }
            return .sync(matched.map { WebhookRoute(repository: $0.name, entities: [.repository]) })
        case .ping, .installation, .installationRepositories, .other:
            return .ignored("unreachable")
        }
    }

    /// The configured repositories reading `entities` from `source` and passing `filter`; `.unknownRepository`
    /// when none reads from it at all; `.ignored(filtered)` when some do but none passes `filter`.
    private func routes(
        _ source: String, _ entities: [SyncEntity], filtered: @autoclosure () -> String = "",
        filter: (RepositorySettings) -> Bool = { _ in true }
    ) -> WebhookAction {
        let key = source.lowercased()
        let reading = repositories.filter { Self.source(of: $0, for: entities[0]).lowercased() == key }
        guard !reading.isEmpty else { return .unknownRepository(source) }
        let wanted = reading.filter(filter)
        guard !wanted.isEmpty else { return .ignored(filtered()) }
        return .sync(wanted.map { WebhookRoute(repository: $0.name, entities: Set(entities)) })
    }

    /// The repository `entity` is read from for `settings`.
    static func source(of settings: RepositorySettings, for entity: SyncEntity) -> String {
        switch entity {
        case .repository, .commits, .tags, .releases: settings.sources.commits
        case .issues: settings.sources.issues
        case .workflowRuns: settings.sources.workflowRuns
        case .deployments: settings.sources.deployments
        }
    }

    static func sources(of settings: RepositorySettings) -> [String] {
        [settings.sources.commits, settings.sources.issues, settings.sources.workflowRuns, settings.sources.deployments]
    }

    private func repositorySetChange(event: WebhookEvent, payload: WebhookPayload) -> RepositorySetChange {
        let action = payload.action ?? ""
        let listed = (payload.repositories ?? []).compactMap(\.fullName)
        var added = (payload.repositoriesAdded ?? []).compactMap(\.fullName)
        var removed = (payload.repositoriesRemoved ?? []).compactMap(\.fullName)
        if event == .installation {
            switch action {
            case "created", "unsuspend", "new_permissions_accepted": added += listed
            case "deleted", "suspend": removed += listed
            default: break
            }
        }
        return RepositorySetChange(
            event: event, action: action, installationID: payload.installation?.id, added: added, removed: removed)
    }
}
