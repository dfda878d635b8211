/// A metric family: metadata and its samples.
///
/// `name` is the series name as it appears in the text format 0.0.4 (counters end in `_total`,
/// info families in `_info`); the OpenMetrics family name is derived from it by `openMetricsName`.
public struct MetricFamily: Sendable, Hashable {
    public var name: String
    public var type: MetricType
    /// OpenMetrics unit (`seconds`), when the name ends in `_<unit>`.
    public var unit: String?
    public var help: String
    public var samples: [MetricSample]

    public init(name: String, type: MetricType, unit: String? = nil, help: String, samples: [MetricSample]) {
        self.name = name
        self.type = type
        self.unit = unit
        self.help = help
        self.samples = samples
    }

    /// The family name in OpenMetrics metadata: without `_total` for counters, without `_info` for info families.
    public var openMetricsName: String {
        switch type {
        case .counter where name.hasSuffix("_total"): String(name.dropLast("_total".count))
        case .info where name.hasSuffix("_info"): String(name.dropLast("_info".count))
        default: name
        }
    }
}
