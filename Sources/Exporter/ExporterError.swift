/// The Exporter's error: what went wrong and what to do about it.
public struct ExporterError: Error, Sendable, CustomStringConvertible {
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case compressionFailed, invalidConfiguration, bindFailed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// gzip compression of an exposition failed (out of memory); the previous snapshot stays served.
        public static let compressionFailed = Kind(.compressionFailed)
        /// The exporter settings are unusable (a bad port, an empty basic-auth user).
        public static let invalidConfiguration = Kind(.invalidConfiguration)
        /// The HTTP server could not listen on the configured address.
        public static let bindFailed = Kind(.bindFailed)

        public var description: String { base.rawValue }
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "exporter \(kind): \(message)" }
}
