/// A GitHub account as embedded in other objects (`author`, `user`, `creator`).
public struct GitHubUser: Decodable, Sendable, Hashable {
    /// The account login.
    public var login: String
    /// The account id.
    public var id: Int64

    enum CodingKeys: String, CodingKey {
        case login
        case id
    }

    /// Creates a user.
    public init(login: String, id: Int64) {
        self.login = login
        self.id = id
    }
}
