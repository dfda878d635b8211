import Foundation

/// Decoding of GitHub JSON bodies: ISO-8601 dates with or without fractional seconds, and
/// `DecodingError`s turned into ``GitHubError`` (`.malformedResponse`) naming the failing field.
public enum GitHubJSON {
    /// Decodes `type` from `data`; failures throw `GitHubError(kind: .malformedResponse)` for `endpoint`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, endpoint: String, status: Int? = nil) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO-8601 date")
            }
            return date
        }
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw GitHubError(kind: .malformedResponse, endpoint: endpoint, status: status, message: describe(error))
        } catch {
            throw GitHubError(kind: .malformedResponse, endpoint: endpoint, status: status, message: "body is not valid JSON")
        }
    }

    /// Parses `2024-05-01T12:30:00Z`, `2024-05-01T12:30:00.123Z` and offsets such as `+02:00`.
    public static func parseDate(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return nil
    }

    /// Short, bounded text for a `DecodingError`: the field path and what was wrong with it.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var result = ""
            for key in codingPath {
                if let index = key.intValue {
                    result += "[\(index)]"
                } else {
                    result += result.isEmpty ? key.stringValue : "." + key.stringValue
                }
            }
            return result.isEmpty ? "<root>" : result
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \(path(context.codingPath + [key]))"
        case .valueNotFound(_, let context):
            return "null or missing value at \(path(context.codingPath))"
        case .typeMismatch(let type, let context):
            return "field \(path(context.codingPath)) is not a \(type)"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "body is not valid JSON" }
            return "field \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "undecodable body"
        }
    }
}
