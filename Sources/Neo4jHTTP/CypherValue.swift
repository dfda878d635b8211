import Foundation

/// A Cypher parameter or result value as it travels over Neo4j's HTTP APIs (plain JSON).
///
/// Temporal values have no JSON type: send them as ISO-8601 strings and convert them in Cypher
/// (`datetime($x)`); results carry them back as strings.
public enum CypherValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case list([CypherValue])
    case map([String: CypherValue])

    /// An ISO-8601 UTC string (`2024-05-01T12:30:00Z`, fractional seconds when present) for `datetime($x)`.
    public static func datetime(_ date: Date) -> CypherValue {
        .string(CypherValue.iso8601(date))
    }

    /// `.null` for nil, else `.datetime(date)`.
    public static func datetime(_ date: Date?) -> CypherValue {
        guard let date else { return .null }
        return .datetime(date)
    }

    /// Formats a date the way the projection sends it: UTC, whole seconds unless a fraction exists.
    public static func iso8601(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let millis = Int(((seconds - whole) * 1000).rounded())
        var components = gmtCalendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: whole))
        components.nanosecond = nil
        let base = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", components.year ?? 1970, components.month ?? 1,
            components.day ?? 1, components.hour ?? 0, components.minute ?? 0, components.second ?? 0)
        if millis == 0 || millis == 1000 { return base + "Z" }
        return base + String(format: ".%03dZ", millis)
    }

    private static let gmtCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    /// The string, or nil for any other case.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer (or an integral double), or nil.
    public var intValue: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value == value.rounded() && abs(value) < 9.0e15: return Int64(value)
        default: return nil
        }
    }

    /// The number as a double, or nil.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var listValue: [CypherValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    public var mapValue: [String: CypherValue]? {
        if case .map(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }
}

extension CypherValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: CypherValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, CypherValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension CypherValue {
    /// Optional helpers so row builders stay short: nil becomes `.null`.
    public init(_ value: String?) { self = value.map { .string($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .int(Int64($0)) } ?? .null }
    public init(_ value: Int64?) { self = value.map { .int($0) } ?? .null }
    public init(_ value: Double?) { self = value.map { .double($0) } ?? .null }
    public init(_ value: Bool?) { self = value.map { .bool($0) } ?? .null }
}
