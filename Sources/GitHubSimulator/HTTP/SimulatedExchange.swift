import Foundation

/// A request as the simulated GitHub sees it, independent of the HTTP server.
struct SimulatedHTTPRequest: Sendable {
    var method: String
    /// Raw (percent-encoded) path.
    var path: String
    /// Raw query string without "?".
    var query: String?
    var authorization: String?
    var ifNoneMatch: String?
    var body: [UInt8] = []

    var pathAndQuery: String {
        guard let query, !query.isEmpty else { return path }
        return "\(path)?\(query)"
    }
}

/// The simulated GitHub's answer, and how to deliver it.
struct SimulatedResponse: Sendable {
    enum Disposition: Sendable {
        case normal
        /// Announce the whole body's length, send part of it, then close the connection.
        case truncate
        /// Close the connection without answering.
        case reset
    }

    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var disposition: Disposition = .normal
}

/// Query parameters with their raw text kept, so pagination links reproduce the request.
struct QueryItems {
    var raw: [(name: String, value: String)]

    init(_ query: String?) {
        raw = (query ?? "").split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (name: Self.decode(String(parts[0])), value: parts.count > 1 ? String(parts[1]) : "")
        }
    }

    static func decode(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The decoded value of the last occurrence of `name`.
    func value(_ name: String) -> String? {
        raw.last { $0.name == name }.map { Self.decode($0.value) }
    }

    func int(_ name: String) -> Int? {
        value(name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The query with `page` set to `page`, other parameters as sent.
    func with(page: Int) -> String {
        var parts = raw.filter { $0.name != "page" }.map { $0.value.isEmpty ? $0.name : "\($0.name)=\($0.value)" }
        parts.append("page=\(page)")
        return parts.joined(separator: "&")
    }
}
