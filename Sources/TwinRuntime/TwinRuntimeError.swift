/// The runtime's error: the daemon could not start or stopped, with what to change.
public struct TwinRuntimeError: Error, Sendable, CustomStringConvertible {
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidConfiguration, cannotListen, stopped
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A part of the configuration cannot work (exporter settings, the Neo4j URL).
        public static let invalidConfiguration = Kind(.invalidConfiguration)
        /// The exporter could not listen on its address (in use, not local, not permitted).
        public static let cannotListen = Kind(.cannotListen)
        /// A service of the daemon stopped with an error.
        public static let stopped = Kind(.stopped)

        public var description: String { base.rawValue }
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
