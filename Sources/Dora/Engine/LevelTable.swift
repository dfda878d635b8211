/// The benchmark tables of `docs/dora.md` ("Performance levels").
enum LevelTable {
    private static let hour = 3_600.0
    private static let day = 86_400.0

    /// Deployments per week = deployments / days * 7, compared as `deployments * 7 * b >= a * days`
    /// for a threshold of `a / b` per week, so fractional thresholds are exact.
    static func deploymentFrequency(deployments: Int, days: Double, benchmark: DoraDefinitions.Benchmark) -> PerformanceLevel? {
        guard days > 0 else { return nil }
        func atLeast(_ a: Double, per b: Double) -> Bool { Double(deployments) * 7 * b >= a * days }
        switch benchmark {
        case .v2023:
            if atLeast(7, per: 1) { return .elite }
            if atLeast(1, per: 1) { return .high }
            if atLeast(12, per: 52) { return .medium }
            return .low
        case .v2021:
            if atLeast(7, per: 1) { return .elite }
            if atLeast(12, per: 52) { return .high }
            if atLeast(2, per: 52) { return .medium }
            return .low
        }
    }

    static func leadTime(p50: Double, benchmark: DoraDefinitions.Benchmark) -> PerformanceLevel {
        switch benchmark {
        case .v2023:
            if p50 < day { return .elite }
            if p50 <= 7 * day { return .high }
            if p50 <= 30 * day { return .medium }
            return .low
        case .v2021:
            if p50 < hour { return .elite }
            if p50 <= 7 * day { return .high }
            if p50 <= 182 * day { return .medium }
            return .low
        }
    }

    /// Compared in integers (`numerator * 100 <= percent * denominator`), so edges are exact.
    static func changeFailureRate(_ ratio: Ratio, benchmark: DoraDefinitions.Benchmark) -> PerformanceLevel? {
        guard ratio.denominator > 0 else { return nil }
        func atMost(_ percent: Int) -> Bool { ratio.numerator * 100 <= percent * ratio.denominator }
        let (elite, high, medium) = benchmark == .v2023 ? (5, 10, 15) : (15, 20, 30)
        if atMost(elite) { return .elite }
        if atMost(high) { return .high }
        if atMost(medium) { return .medium }
        return .low
    }

    /// The same table in 2023 and 2021.
    static func timeToRestore(p50: Double, benchmark: DoraDefinitions.Benchmark) -> PerformanceLevel {
        if p50 < hour { return .elite }
        if p50 < day { return .high }
        if p50 <= 7 * day { return .medium }
        return .low
    }
}
