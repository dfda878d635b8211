import Foundation

/// The user and password `/metrics` requires when basic auth is configured. The password is never printed.
public struct BasicAuthCredentials: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    public var description: String { "BasicAuthCredentials(user: \(user), password: <redacted>)" }

    /// True when `authorization` is `Basic base64(user:password)` with these credentials.
    /// The comparison of the decoded bytes takes the same time wherever they differ.
    public func accepts(authorization: String?) -> Bool {
        guard let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces))
        else { return false }
        return Self.constantTimeEqual(Array(decoded), Array("\(user):\(password)".utf8))
    }

    /// Compares every byte of `expected` whatever the input, so timing reveals neither where nor whether they differ
    /// (apart from the expected length).
    static func constantTimeEqual(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = given.count == expected.count ? 0 : 1
        for index in expected.indices {
            let byte = index < given.count ? given[index] : 0
            difference |= byte ^ expected[index]
        }
        return difference == 0
    }
}
