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

/// The workflow-runs cursor: where the next pass of the newest-first listing stops, and the pass in progress.
/// (A cursor of the former `created`-windowed listing decodes into it: its `from` meant the same; its windows are
/// ignored.)
struct RunCursor: Codable, Hashable {
    /// The next pass walks down to the first page reaching back before this `created_at` (nil: to the end).
    var from: Date?
    /// A pass in progress: its next page (Link rel="next", verbatim).
    var nextURL: String?
    /// The newest `created_at` the pass in progress has seen.
    var newest: Date?
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
