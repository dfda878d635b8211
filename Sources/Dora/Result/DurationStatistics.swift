/// Statistics over duration samples, in seconds. Every statistic is nil when `samples` is 0
/// ("no data": never 0, never NaN). Which percentiles a metric reports is the metric's business
/// (lead time: p50/p75/p90/mean; time to restore: p50/p90/mean; CI duration: p50/p95).
public struct DurationStatistics: Sendable, Hashable {
    public var samples: Int
    public var p50: Double?
    public var p75: Double?
    public var p90: Double?
    public var p95: Double?
    public var mean: Double?

    public init(samples: Int, p50: Double? = nil, p75: Double? = nil, p90: Double? = nil, p95: Double? = nil, mean: Double? = nil) {
        self.samples = samples
        self.p50 = p50
        self.p75 = p75
        self.p90 = p90
        self.p95 = p95
        self.mean = mean
    }

    public static let empty = DurationStatistics(samples: 0)
}
