import Foundation

/// A JSON value for the machine-readable report; encoded with sorted keys.
enum ReportValue: Encodable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ReportValue])
    case object([String: ReportValue])

    static func number(_ value: Double?) -> ReportValue {
        guard let value, value.isFinite else { return .null }
        return .double(value)
    }

    static func text(_ value: String?) -> ReportValue { value.map(ReportValue.string) ?? .null }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
