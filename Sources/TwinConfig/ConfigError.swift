/// A configuration problem, found before anything starts. The description names the key, the value
/// and what is allowed, so the user can fix the file.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// Dotted path of the offending key, e.g. `repositories[0].deployments.source`; empty for file-level problems.
    public var key: String
    public var message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String {
        key.isEmpty ? "configuration: \(message)" : "configuration key '\(key)': \(message)"
    }
}
