import Exporter

/// Version information, exported as `devops_twin_build_info`.
enum BuildInfo {
    static let version = "0.1.0"
    static let revision = "unknown"

    /// As the exporter publishes it.
    static let exported = Exporter.BuildInfo(version: version, revision: revision)
}
