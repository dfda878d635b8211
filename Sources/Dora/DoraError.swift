/// An error in the definitions given to the engine (validated configuration never produces one).
public struct DoraError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
