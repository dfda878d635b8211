/// Percentiles by linear interpolation between closest ranks (numpy's default, Cypher's `percentileCont`).
enum Percentile {
    /// `sorted` must be ascending and non-empty; `q` in 0...1.
    static func of(sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * q
        let low = Int(h.rounded(.down))
        let fraction = h - Double(low)
        if low + 1 >= sorted.count { return sorted[sorted.count - 1] }
        return sorted[low] + fraction * (sorted[low + 1] - sorted[low])
    }
}

extension DurationStatistics {
    /// Which statistics a metric reports.
    enum Shape {
        /// p50, p75, p90, mean (lead time).
        case leadTime
        /// p50, p90, mean (time to restore, recovery).
        case restore
        /// p50, p95 (CI run duration).
        case duration
    }

    /// The statistics of `samples` (any order); nil statistics when there are none.
    init(samples: [Double], shape: Shape) {
        guard !samples.isEmpty else {
            self.init(samples: 0)
            return
        }
        let sorted = samples.sorted()
        let p50 = Percentile.of(sorted: sorted, 0.5)
        switch shape {
        case .leadTime:
            self.init(
                samples: sorted.count, p50: p50, p75: Percentile.of(sorted: sorted, 0.75),
                p90: Percentile.of(sorted: sorted, 0.9), mean: Self.mean(sorted))
        case .restore:
            self.init(samples: sorted.count, p50: p50, p90: Percentile.of(sorted: sorted, 0.9), mean: Self.mean(sorted))
        case .duration:
            self.init(samples: sorted.count, p50: p50, p95: Percentile.of(sorted: sorted, 0.95))
        }
    }

    private static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }
}
