import Foundation
import JSONEscaping

/// A JSON value as the fake receives and stores it; `datetime` marks a value converted with Cypher `datetime()`.
public enum FakeJSON: Sendable, Hashable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case list([FakeJSON])
    case map([String: FakeJSON])
    /// A Neo4j DateTime, kept as the normalised ISO-8601 UTC string.
    case datetime(String)

    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: FakeKey.self) {
            var map: [String: FakeJSON] = [:]
            for key in container.allKeys { map[key.stringValue] = try container.decode(FakeJSON.self, forKey: key) }
            self = .map(map)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var list: [FakeJSON] = []
            while !container.isAtEnd { list.append(try container.decode(FakeJSON.self)) }
            self = .list(list)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    static func parse(_ data: Data) -> FakeJSON? {
        FakeJSONParser.parse(data)
    }

    public var stringValue: String? {
        switch self {
        case .string(let value), .datetime(let value): return value
        default: return nil
        }
    }

    public var intValue: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }

    public var mapValue: [String: FakeJSON]? {
        if case .map(let value) = self { return value }
        return nil
    }

    public var listValue: [FakeJSON]? {
        if case .list(let value) = self { return value }
        return nil
    }

    /// Compact JSON with sorted keys (datetime values as strings).
    public var json: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return value.isFinite ? "\(value)" : "null"
        case .string(let value), .datetime(let value): return JSONString.quoted(value)
        case .list(let values): return "[" + values.map(\.json).joined(separator: ",") + "]"
        case .map(let values):
            return "{" + values.keys.sorted().map { JSONString.quoted($0) + ":" + values[$0, default: .null].json }.joined(separator: ",") + "}"
        }
    }

    public var description: String {
        if case .datetime(let value) = self { return "datetime(\(value))" }
        return json
    }

}

struct FakeKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
