/// What the store remembers of one GitHub list page: its ETag, the next page's URL and the natural keys of the
/// items on it, so a walk answered by 304s can continue and still know every key of a complete listing.
public struct HTTPCacheEntry: Sendable, Hashable {
    public var url: String
    public var etag: String?
    public var nextURL: String?
    public var itemKeys: [String]

    public init(url: String, etag: String?, nextURL: String?, itemKeys: [String] = []) {
        self.url = url
        self.etag = etag
        self.nextURL = nextURL
        self.itemKeys = itemKeys
    }
}
