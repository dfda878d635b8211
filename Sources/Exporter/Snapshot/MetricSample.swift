import Foundation

/// One sample of a family: its labels, in the order they are rendered, its value and, for historical series
/// only, its timestamp.
public struct MetricSample: Sendable, Hashable {
    public var labels: [MetricLabel]
    public var value: Double
    /// nil for what `/metrics` serves (Prometheus stamps the scrape); set for backfilled points.
    public var timestamp: Date?
    /// Appended to the family name for this sample: `_bucket`, `_sum`, `_count` in a histogram, else empty.
    public var suffix: String

    public init(labels: [MetricLabel], value: Double, timestamp: Date? = nil, suffix: String = "") {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.suffix = suffix
    }

    /// The value of the label `name`, if present.
    public func label(_ name: String) -> String? {
        labels.first { $0.name == name }?.value
    }
}

/// A label name and value. Names are valid Prometheus label names; values are any UTF-8 and escaped on output.
public struct MetricLabel: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
