/// A progress event: one more page of an entity fetched (for the terminal progress line).
public struct SyncProgress: Sendable, Hashable {
    public var repository: String
    /// `commits`, `tags`, `releases`, `issues`, `workflows`, `workflow_runs`, `deployments`, `repository`.
    public var entity: String
    /// Pages of this entity fetched so far in this sync (304s included).
    public var pages: Int
    /// Items of this entity received so far in this sync.
    public var items: Int
    public var rateLimitRemaining: Int?

    public init(repository: String, entity: String, pages: Int, items: Int, rateLimitRemaining: Int?) {
        self.repository = repository
        self.entity = entity
        self.pages = pages
        self.items = items
        self.rateLimitRemaining = rateLimitRemaining
    }
}
