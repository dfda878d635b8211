/// A validated configuration with the warnings found while reading it (deprecated or converted keys).
public struct LoadedConfiguration: Sendable {
    public var configuration: TwinConfiguration
    public var warnings: [String]

    public init(configuration: TwinConfiguration, warnings: [String]) {
        self.configuration = configuration
        self.warnings = warnings
    }
}
