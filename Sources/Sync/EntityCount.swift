/// Items of one entity in one sync: `fetched` from GitHub (in 200 responses), `stored` (inserted or changed).
public struct EntityCount: Sendable, Codable, Hashable {
    public var fetched: Int
    public var stored: Int

    public init(fetched: Int = 0, stored: Int = 0) {
        self.fetched = fetched
        self.stored = stored
    }
}
