/// A property a harness checks did not hold for an input: a bug found without a crash.
public struct HarnessViolation: Error, Sendable, CustomStringConvertible {
    /// The property, as the harness states it (e.g. "a label value survives rendering and parsing").
    public var property: String
    /// What was seen instead, bounded so a huge input does not flood the log.
    public var detail: String

    public init(_ property: String, _ detail: String) {
        self.property = property
        self.detail = detail.count > 600 ? String(detail.prefix(600)) + "…" : detail
    }

    public var description: String { "\(property): \(detail)" }
}
