import Foundation

/// A reporting window: `[asOf - length, asOf)`, or `all` = `[first deployment, asOf)`.
public struct DoraWindow: Sendable, Hashable {
    /// The label used in reports and metrics: `7d`, `30d`, `90d`, `all`, …
    public var name: String
    /// Length in seconds; nil for `all`.
    public var length: TimeInterval?

    public init(name: String, length: TimeInterval?) {
        self.name = name
        self.length = length
    }

    public static let all = DoraWindow(name: "all", length: nil)
    public static func days(_ n: Int) -> DoraWindow { DoraWindow(name: "\(n)d", length: TimeInterval(n) * 86_400) }
    public static let defaults: [DoraWindow] = [.days(7), .days(30), .days(90)]
}
