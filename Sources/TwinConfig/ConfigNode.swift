import Foundation

/// A JSON object being read with its key path, so every error can name the key it is about and
/// unknown keys can be reported with a suggestion.
struct ConfigNode {
    let path: String
    let object: [String: JSONValue]
    private(set) var read: Set<String> = []

    init(path: String, object: [String: JSONValue]) {
        self.path = path
        self.object = object
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool {
        if let value = object[key], value != .null { return true }
        return false
    }

    mutating func raw(_ key: String) -> JSONValue? {
        read.insert(key)
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = raw(key) else { return nil }
        guard case .string(let string) = value else {
            throw ConfigError(key: keyPath(key), message: "expected a string, found \(value.described)")
        }
        return string
    }

    mutating func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = raw(key) else { return nil }
        // The prototype wrote booleans as strings ("true"/"false"); accept both.
        if case .string(let string) = value {
            switch string.lowercased() {
            case "true", "yes", "1": return true
            case "false", "no", "0": return false
            default: throw ConfigError(key: keyPath(key), message: "expected true or false, found \"\(string)\"")
            }
        }
        if case .bool(let bool) = value { return bool }
        throw ConfigError(key: keyPath(key), message: "expected true or false, found \(value.described)")
    }

    mutating func int(_ key: String, range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = raw(key) else { return nil }
        var parsed: Int?
        if case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 {
            parsed = Int(number)
        } else if case .string(let string) = value {
            parsed = Int(string.trimmingCharacters(in: .whitespaces))
        }
        guard let int = parsed else {
            throw ConfigError(key: keyPath(key), message: "expected a whole number, found \(value.described)")
        }
        guard range.contains(int) else {
            throw ConfigError(key: keyPath(key), message: "\(int) is out of range: allowed \(range.lowerBound)…\(range.upperBound)")
        }
        return int
    }

    mutating func duration(_ key: String, range: ClosedRange<TimeInterval>) throws(ConfigError) -> TimeInterval? {
        guard let value = raw(key) else { return nil }
        var parsed: TimeInterval?
        if case .number(let number) = value {
            parsed = number
        } else if case .string(let string) = value {
            parsed = DurationText.parse(string)
        }
        guard let seconds = parsed, seconds.isFinite else {
            throw ConfigError(
                key: keyPath(key),
                message: "expected a duration such as \"30s\", \"15m\", \"1h\", \"7d\" or a number of seconds, found \(value.described)"
            )
        }
        guard range.contains(seconds) else {
            throw ConfigError(
                key: keyPath(key),
                message: "\(DurationText.format(seconds)) is out of range: allowed \(DurationText.format(range.lowerBound))…\(DurationText.format(range.upperBound))"
            )
        }
        return seconds
    }

    mutating func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = raw(key) else { return nil }
        if case .string(let string) = value { return [string] }
        guard case .array(let array) = value else {
            throw ConfigError(key: keyPath(key), message: "expected a list of strings, found \(value.described)")
        }
        var result: [String] = []
        for (index, item) in array.enumerated() {
            guard case .string(let string) = item else {
                throw ConfigError(key: "\(keyPath(key))[\(index)]", message: "expected a string, found \(item.described)")
            }
            result.append(string)
        }
        return result
    }

    mutating func object(_ key: String) throws(ConfigError) -> ConfigNode? {
        guard let value = raw(key) else { return nil }
        guard case .object(let object) = value else {
            throw ConfigError(key: keyPath(key), message: "expected an object, found \(value.described)")
        }
        return ConfigNode(path: keyPath(key), object: object)
    }

    mutating func objects(_ key: String) throws(ConfigError) -> [ConfigNode]? {
        guard let value = raw(key) else { return nil }
        guard case .array(let array) = value else {
            throw ConfigError(key: keyPath(key), message: "expected a list of objects, found \(value.described)")
        }
        var nodes: [ConfigNode] = []
        for (index, item) in array.enumerated() {
            guard case .object(let object) = item else {
                throw ConfigError(key: "\(keyPath(key))[\(index)]", message: "expected an object, found \(item.described)")
            }
            nodes.append(ConfigNode(path: "\(keyPath(key))[\(index)]", object: object))
        }
        return nodes
    }

    /// Fails on the first key that was never read, suggesting the closest known key.
    func rejectUnknownKeys(known: [String]) throws(ConfigError) {
        for key in object.keys.sorted() where !read.contains(key) && !key.hasPrefix("_") && !key.hasPrefix("$") {
            var message = "unknown key"
            if let suggestion = ConfigNode.closest(to: key, in: known) { message += "; did you mean '\(suggestion)'?" }
            message += " Allowed here: \(known.sorted().joined(separator: ", "))."
            throw ConfigError(key: keyPath(key), message: message)
        }
    }

    static func closest(to key: String, in candidates: [String]) -> String? {
        let lowered = key.lowercased()
        let scored = candidates.map { ($0, editDistance(lowered, $0.lowercased())) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, best.count / 3) else { return nil }
        return best
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
