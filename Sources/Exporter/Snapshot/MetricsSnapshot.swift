import Foundation

/// Everything `/metrics` serves, computed at `asOf`. Immutable: a new snapshot is built from scratch
/// for every refresh, so label sets that no longer exist (a repository removed) simply disappear.
public struct MetricsSnapshot: Sendable, Hashable {
    /// When the snapshot was computed.
    public let asOf: Date
    /// Families in rendering order; each family has a unique name and at least one sample.
    public let families: [MetricFamily]

    public init(asOf: Date, families: [MetricFamily]) {
        self.asOf = asOf
        self.families = families
    }

    /// The family named `name` (its 0.0.4 series name), if present.
    public func family(_ name: String) -> MetricFamily? {
        families.first { $0.name == name }
    }
}
