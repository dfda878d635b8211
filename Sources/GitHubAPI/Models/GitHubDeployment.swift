import Foundation

/// An item of `GET /repos/{o}/{r}/deployments`; the SHA is read from `sha` or `commit_sha`.
public struct GitHubDeployment: Decodable, Sendable, Hashable {
    /// Deployment id.
    public var id: Int64
    /// Deployed commit.
    public var sha: String
    /// Deployed ref (branch, tag or SHA).
    public var ref: String
    /// Environment (`production`).
    public var environment: String
    /// Creation time.
    public var createdAt: Date
    /// Last update.
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case sha
        case commitSha = "commit_sha"
        case ref
        case environment
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Creates a deployment.
    public init(id: Int64, sha: String, ref: String, environment: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.sha = sha
        self.ref = ref
        self.environment = environment
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        if let sha = try container.decodeIfPresent(String.self, forKey: .sha) {
            self.sha = sha
        } else {
            sha = try container.decode(String.self, forKey: .commitSha)
        }
        ref = try container.decode(String.self, forKey: .ref)
        environment = try container.decode(String.self, forKey: .environment)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
    }
}
