/// What the discovery document (`GET /`) said about the server.
public struct Neo4jServerInfo: Sendable, Hashable {
    /// `neo4j_version`, e.g. "4.4.0", "5.26.1", "2025.06.0"; nil when absent.
    public var version: String?
    /// `neo4j_edition`, e.g. "community", "enterprise".
    public var edition: String?
    /// True when the document advertises the Query API (`query` key).
    public var advertisesQueryAPI: Bool
    /// The flavour the client uses.
    public var flavour: Neo4jAPIFlavour

    public init(version: String?, edition: String?, advertisesQueryAPI: Bool, flavour: Neo4jAPIFlavour) {
        self.version = version
        self.edition = edition
        self.advertisesQueryAPI = advertisesQueryAPI
        self.flavour = flavour
    }
}
