/// A DORA performance grade, exported as 4 elite, 3 high, 2 medium, 1 low.
public enum PerformanceLevel: Int, Sendable, Hashable, Comparable, CaseIterable {
    case low = 1, medium = 2, high = 3, elite = 4

    public var name: String {
        switch self {
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        case .elite: "elite"
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// The graded metrics.
public enum GradedMetric: String, Sendable, Hashable, CaseIterable {
    case deploymentFrequency = "deployment_frequency"
    case leadTime = "lead_time"
    case changeFailureRate = "change_failure_rate"
    case timeToRestore = "time_to_restore"
}
