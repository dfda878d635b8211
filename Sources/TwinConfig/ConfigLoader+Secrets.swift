import Foundation

extension ConfigLoader {
    /// A secret from the environment variable `variable` when it is set and not empty (the environment wins),
    /// else from the file named at `fileKey` (`file`), else nil. Surrounding whitespace is trimmed.
    func secret(environment variable: String, file: String?, fileKey: String) throws(ConfigError) -> Secret? {
        if let value = environment[variable], !value.isEmpty {
            return Secret(value.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let file else { return nil }
        return try secret(fromFile: file, key: fileKey)
    }
}
