import Foundation

/// Where an interrupted commit walk resumes, and what it still needs.
struct CommitCursor: Codable, Hashable {
    struct Walk: Codable, Hashable {
        /// The head the walk started from.
        var head: String
        /// The next page to fetch (a Link rel="next" URL, verbatim).
        var nextURL: String
        /// Parents of walked commits not stored yet; the walk ends when it is empty (or the listing ends).
        var frontier: [String]
        /// Page 1 and its ETag, cached only when the walk completes (so a 304 means "all stored").
        var firstURL: String
        var firstETag: String?
    }

    var walk: Walk?
}

/// The issues cursor: the `since` of the next listing, or (when many issues share one `updated_at`) the next
/// page URL to follow verbatim.
struct IssueCursor: Codable, Hashable {
    var since: String?
    var nextURL: String?
}

/// The workflow-runs cursor: the created-date lower bound of the next pass, and the pass in progress.
struct RunCursor: Codable, Hashable {
    /// A `created` window; nil bounds are open. Both ends are inclusive (whole seconds).
    struct Window: Codable, Hashable {
        var from: Date?
        var to: Date?
    }

    /// Lower bound of the open window of the next pass (nil: no filter, everything).
    var from: Date?
    /// Windows still to list in this pass, oldest first; the last one is open-ended.
    var windows: [Window] = []
    /// Next page of the first window (Link rel="next", verbatim).
    var nextURL: String?
    /// Pages and newest `created_at` seen in the first window so far.
    var pages: Int = 0
    var maxCreated: Date?
}

enum CursorCoding {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text, let data = text.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}

enum QueryText {
    /// `2024-01-02T03:04:05Z`, the form GitHub's `since` and `created` take.
    static func date(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }

    static func parse(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current).parse(text)
    }

    /// Percent-encodes a query value (also `&`, `=`, `+`, `>`, `<`, `#`).
    static func value(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+<>#?")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Percent-encodes a path segment (keeps `/`, as GitHub's ref paths expect).
    static func path(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
