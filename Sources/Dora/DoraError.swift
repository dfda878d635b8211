/// An error in the definitions given to the engine (validated configuration never produces one).
public struct DoraError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of definition is wrong.
    public enum Kind: String, Sendable, Hashable {
        /// A regex option (`deploymentPattern`, `environmentPattern`) does not compile.
        case invalidPattern
        /// A window has no positive length, or another numeric option is out of range.
        case invalidWindow
        /// Any other invalid definition.
        case invalidDefinitions
    }

    public var kind: Kind
    /// What is wrong and what to do about it.
    public var description: String

    public init(_ description: String) {
        self.kind = .invalidDefinitions
        self.description = description
    }

    public init(kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
