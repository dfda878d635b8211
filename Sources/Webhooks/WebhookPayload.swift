import Foundation

/// The few fields of a delivery's JSON the receiver reads: which repository and which entity changed. A payload
/// is a hint, never data: the sync then reads the entity from GitHub through the same code and cursors as polling.
struct WebhookPayload: Decodable {
    struct Repository: Decodable {
        var fullName: String?
        enum CodingKeys: String, CodingKey { case fullName = "full_name" }
    }

    struct Changes: Decodable {
        struct RepositoryChanges: Decodable {
            struct From: Decodable { var from: String? }
            var name: From?
        }
        struct Owner: Decodable {
            struct From: Decodable {
                struct User: Decodable { var login: String? }
                var user: User?
                var organization: User?
            }
            var from: From?
        }
        var repository: RepositoryChanges?
        var owner: Owner?
    }

    struct Installation: Decodable { var id: Int? }

    var action: String?
    var ref: String?
    var refType: String?
    var repository: Repository?
    var changes: Changes?
    var installation: Installation?
    var repositories: [Repository]?
    var repositoriesAdded: [Repository]?
    var repositoriesRemoved: [Repository]?

    enum CodingKeys: String, CodingKey {
        case action, ref, repository, changes, installation, repositories
        case refType = "ref_type"
        case repositoriesAdded = "repositories_added"
        case repositoriesRemoved = "repositories_removed"
    }

    /// The repository's name before a `renamed` or `transferred` action, when the payload says.
    var previousFullName: String? {
        guard let current = repository?.fullName, let slash = current.firstIndex(of: "/") else { return nil }
        let owner = String(current[..<slash])
        let name = String(current[current.index(after: slash)...])
        if let from = changes?.repository?.name?.from { return "\(owner)/\(from)" }
        if let from = changes?.owner?.from, let login = from.user?.login ?? from.organization?.login { return "\(login)/\(name)" }
        return nil
    }
}
