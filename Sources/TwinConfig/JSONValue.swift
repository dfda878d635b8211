import JSONEscaping

/// A parsed JSON value, kept exact so configuration errors can say what was found.
enum JSONValue: Decodable, Equatable, Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var described: String {
        switch self {
        case .string(let string): "the string \"\(string.prefix(80))\""
        case .number(let number): "the number \(number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number))"
        case .bool(let bool): "the boolean \(bool)"
        case .array: "a list"
        case .object: "an object"
        case .null: "null"
        }
    }
}

extension JSONValue {
    /// Pretty JSON text with sorted keys (stable output).
    func rendered(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .string(let string): return JSONString.quoted(string)
        case .number(let number):
            return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let bool): return bool ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy({ if case .string = $0 { true } else { false } }) {
                return "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]"
            }
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let object):
            if object.isEmpty { return "{}" }
            let lines = object.keys.sorted().map { key in "\(inner)\(JSONString.quoted(key)): \(object[key]!.rendered(indent: inner))" }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        }
    }

}
