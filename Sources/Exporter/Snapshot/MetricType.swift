/// The metric types the exporter produces.
public enum MetricType: String, Sendable, Hashable {
    case gauge
    case counter
    /// A gauge of value 1 whose labels carry information; the family name ends in `_info`.
    /// Text format 0.0.4 has no info type: it is rendered as `gauge` there and as `info` in OpenMetrics.
    case info
    /// Cumulative buckets (`_bucket` with `le`), `_sum` and `_count` under one family name.
    case histogram
}
