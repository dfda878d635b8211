import Foundation
import JSONEscaping

extension CypherValue {
    /// Appends the value as compact JSON (map keys sorted, so the bytes are deterministic).
    func writeJSON(into output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): output.append(contentsOf: Array(String(value).utf8))
        case .double(let value):
            if value.isFinite {
                if value == value.rounded(), abs(value) < 1e15 {
                    output.append(contentsOf: Array(String(format: "%.1f", value).utf8))
                } else {
                    output.append(contentsOf: Array("\(value)".utf8))
                }
            } else {
                output.append(contentsOf: "null".utf8)  // JSON has no NaN/Infinity
            }
        case .string(let value): JSONString.append(value, to: &output)
        case .list(let values):
            output.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.writeJSON(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .map(let values):
            output.append(UInt8(ascii: "{"))
            for (index, key) in values.keys.sorted().enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONString.append(key, to: &output)
                output.append(UInt8(ascii: ":"))
                values[key, default: .null].writeJSON(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }


}

extension CypherValue: Decodable {
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            var map: [String: CypherValue] = [:]
            for key in container.allKeys { map[key.stringValue] = try container.decode(CypherValue.self, forKey: key) }
            self = .map(map)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var list: [CypherValue] = []
            while !container.isAtEnd { list.append(try container.decode(CypherValue.self)) }
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
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
