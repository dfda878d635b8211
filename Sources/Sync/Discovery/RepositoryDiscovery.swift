import Foundation
import GitHubAPI
import Logging
import TwinConfig
import TwinStore

/// Lists the repositories of the configured organisations and applies their filters and settings.
///
/// An organisation with the App installed on it is listed through each such installation
/// (`GET /installation/repositories`); otherwise through `GET /orgs/{org}/repos` with the token for its owner.
/// Every page is asked with its ETag: an unchanged page is a 304, which costs no rate-limit point, and is
/// answered from the page stored last time. A listing that fails keeps the last listing, so a transient error
/// never makes repositories vanish.
public struct RepositoryDiscovery: Sendable {
    let store: TwinStore
    let router: CredentialRouter
    let organizations: [OrganizationSettings]
    let logger: Logger

    public init(store: TwinStore, router: CredentialRouter, organizations: [OrganizationSettings], logger: Logger) {
        self.store = store
        self.router = router
        self.organizations = organizations
        self.logger = logger
    }

    /// What a discovery found.
    public struct Result: Sendable {
        /// The repositories to sync, with their settings, in name order per organisation.
        public var repositories: [RepositorySettings] = []
        /// Repository (lowercased) → the credential that listed it.
        public var routes: [String: String] = [:]
        /// Everything listed, admitted or not, per organisation (for `check-config --discover`).
        public var listed: [String: [DiscoveredRepository]] = [:]
        /// The admitted repositories, per organisation (what `record` keeps for restarts and offline commands).
        public var admitted: [String: [DiscoveredRepository]] = [:]
        /// Organisations whose listing failed this time (their last listing was used), with why.
        public var failures: [String: String] = [:]
        /// Requests sent, by status.
        public var requests: [String: Int] = [:]
    }

    public func discover() async -> Result {
        var result = Result()
        for organization in organizations {
            var listed: [(DiscoveredRepository, String)] = []
            let installations = router.credentials.filter { $0.installationAccount?.lowercased() == organization.name.lowercased() }
            let sources: [(GitHubCredential, String)]
            if installations.isEmpty {
                guard let credential = router.credential(for: "\(organization.name)/x") else {
                    result.failures[organization.name] = "no credential to list it with"
                    continue
                }
                sources = [(credential, "/orgs/\(organization.name)/repos?type=all&sort=full_name&per_page=100")]
            } else {
                sources = installations.map { ($0, "/installation/repositories?per_page=100") }
            }
            for (credential, firstURL) in sources {
                do {
                    let repositories = try await list(firstURL, credential: credential, tally: &result.requests)
                    listed += repositories.map { ($0, credential.name) }
                } catch {
                    result.failures[organization.name] = "\(error)"
                    logger.warning(
                        "organisation listing failed; the last listing is used",
                        metadata: ["organization": "\(organization.name)", "credential": "\(credential.name)", "error": "\(error)"])
                    listed += ((try? storedListing(firstURL, credential: credential)) ?? []).map { ($0, credential.name) }
                }
            }
            var seen: Set<String> = []
            var admitted: [(DiscoveredRepository, String)] = []
            for (repository, credential) in listed.sorted(by: { $0.0.fullName.lowercased() < $1.0.fullName.lowercased() })
            where seen.insert(repository.fullName.lowercased()).inserted {
                if organization.admits(repository) { admitted.append((repository, credential)) }
            }
            var unique: [String: DiscoveredRepository] = [:]
            for (repository, _) in listed where unique[repository.fullName.lowercased()] == nil {
                unique[repository.fullName.lowercased()] = repository
            }
            result.listed[organization.name] = unique.keys.sorted().compactMap { unique[$0] }
            result.admitted[organization.name] = admitted.map(\.0)
            for (repository, credential) in admitted {
                do {
                    result.repositories.append(try organization.settings(for: repository))
                    result.routes[repository.fullName.lowercased()] = credential
                } catch {
                    result.failures[repository.fullName] = error.description
                }
            }
        }
        return result
    }

    /// Keeps what was admitted, for restarts and the offline commands.
    public func record(_ result: Result) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(result.admitted), let text = String(data: data, encoding: .utf8) else { return }
        do {
            try store.recordDiscovery(text)
        } catch {
            logger.warning("discovery not recorded", metadata: ["error": "\(error)"])
        }
    }

    /// The repositories the last recorded discovery admitted, with their settings (no request to GitHub).
    public static func lastKnown(store: TwinStore, organizations: [OrganizationSettings]) -> [RepositorySettings] {
        guard let text = try? store.lastDiscovery(),
            let admitted = try? JSONDecoder().decode([String: [DiscoveredRepository]].self, from: Data(text.utf8))
        else { return [] }
        var repositories: [RepositorySettings] = []
        for organization in organizations {
            for repository in admitted[organization.name] ?? [] where organization.admits(repository) {
                if let settings = try? organization.settings(for: repository) { repositories.append(settings) }
            }
        }
        return repositories
    }

    /// Every page of a listing, each with its ETag (a 304 is answered from the stored page).
    private func list(_ firstURL: String, credential: GitHubCredential, tally: inout [String: Int]) async throws -> [DiscoveredRepository] {
        var repositories: [DiscoveredRepository] = []
        var page = 1
        while true {
            let url = firstURL + "&page=\(page)"
            let key = "\(credential.name) \(url)"
            let stored = try store.discoveryPage(url: key)
            let counter = RequestTally()
            let response = try await credential.client.get(url, ifNoneMatch: stored?.etag, tally: counter)
            tally.merge(counter.countsByStatus) { $0 + $1 }
            let items: [DiscoveredRepository]
            if response.status == 304, let stored {
                items = (try? JSONDecoder().decode([DiscoveredRepository].self, from: Data(stored.items.utf8))) ?? []
            } else {
                let listed: [GitHubListedRepository]
                if firstURL.hasPrefix("/installation/") {
                    listed = try credential.client.decode(GitHubInstallationRepositories.self, from: response).repositories
                } else {
                    listed = try credential.client.decode([GitHubListedRepository].self, from: response)
                }
                items = listed.map {
                    DiscoveredRepository(
                        fullName: $0.fullName, defaultBranch: $0.defaultBranch ?? "main", archived: $0.archived ?? false,
                        fork: $0.fork, topics: $0.topics ?? [])
                }
                let encoded = (try? JSONEncoder().encode(items)).flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
                try store.storeDiscoveryPage(url: key, etag: response.etag, items: encoded)
            }
            repositories += items
            // GitHub's pages hold 100; a shorter page is the last (and `Link` says so too).
            if items.count < 100 && response.nextURL == nil { return repositories }
            if response.status != 304 && response.nextURL == nil { return repositories }
            page += 1
        }
    }

    /// The last stored listing, page by page, for when GitHub cannot be asked.
    private func storedListing(_ firstURL: String, credential: GitHubCredential) throws -> [DiscoveredRepository] {
        var repositories: [DiscoveredRepository] = []
        var page = 1
        while let stored = try store.discoveryPage(url: "\(credential.name) \(firstURL)&page=\(page)") {
            let items = (try? JSONDecoder().decode([DiscoveredRepository].self, from: Data(stored.items.utf8))) ?? []
            repositories += items
            if items.count < 100 { break }
            page += 1
        }
        return repositories
    }
}
