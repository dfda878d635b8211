import Foundation
import Testing

@testable import Dora

@Suite struct PercentileTests {
    struct Case: Sendable, CustomStringConvertible {
        var samples: [Double]
        var q: Double
        var expected: Double
        var description: String { "\(samples) q=\(q)" }
    }

    // Values from numpy.percentile(..., method="linear").
    @Test(arguments: [
        Case(samples: [5], q: 0.9, expected: 5),
        Case(samples: [1, 2], q: 0.5, expected: 1.5),
        Case(samples: [1, 2, 3, 4], q: 0.5, expected: 2.5),
        Case(samples: [1, 2, 3, 4], q: 0.75, expected: 3.25),
        Case(samples: [1, 2, 3, 4], q: 0.9, expected: 3.7),
        Case(samples: [10, 20, 30, 40, 50], q: 0.95, expected: 48),
        Case(samples: [0, 100], q: 0.9, expected: 90),
    ])
    func linearInterpolationBetweenClosestRanks(_ c: Case) {
        #expect(abs(Percentile.of(sorted: c.samples, c.q) - c.expected) < 1e-9)
    }

    @Test func statisticsOverNoSamplesAreNilNotZero() {
        let s = DurationStatistics(samples: [], shape: .leadTime)
        #expect(s == DurationStatistics(samples: 0))
        #expect(s.p50 == nil && s.mean == nil)
    }

    @Test func shapesReportTheirStatistics() {
        let samples: [Double] = [4, 1, 3, 2]
        #expect(DurationStatistics(samples: samples, shape: .leadTime) == DurationStatistics(samples: 4, p50: 2.5, p75: 3.25, p90: 3.7, mean: 2.5))
        #expect(DurationStatistics(samples: samples, shape: .restore) == DurationStatistics(samples: 4, p50: 2.5, p90: 3.7, mean: 2.5))
        let duration = DurationStatistics(samples: samples, shape: .duration)
        #expect(duration.samples == 4 && duration.p50 == 2.5 && duration.p90 == nil && duration.mean == nil)
        #expect(abs((duration.p95 ?? 0) - 3.85) < 1e-9)
    }
}

@Suite struct LevelTableTests {
    static let day = 86_400.0
    static let hour = 3_600.0

    struct FrequencyCase: Sendable, CustomStringConvertible {
        var deployments: Int
        var days: Double
        var benchmark: DoraDefinitions.Benchmark
        var expected: PerformanceLevel
        var description: String { "\(deployments) in \(days)d \(benchmark.rawValue)" }
    }

    @Test(arguments: [
        FrequencyCase(deployments: 7, days: 7, benchmark: .v2023, expected: .elite),
        FrequencyCase(deployments: 6, days: 7, benchmark: .v2023, expected: .high),
        FrequencyCase(deployments: 1, days: 7, benchmark: .v2023, expected: .high),
        FrequencyCase(deployments: 0, days: 7, benchmark: .v2023, expected: .low),
        FrequencyCase(deployments: 12, days: 364, benchmark: .v2023, expected: .medium),  // exactly 12/52 per week
        FrequencyCase(deployments: 11, days: 364, benchmark: .v2023, expected: .low),
        FrequencyCase(deployments: 12, days: 364, benchmark: .v2021, expected: .high),
        FrequencyCase(deployments: 11, days: 364, benchmark: .v2021, expected: .medium),
        FrequencyCase(deployments: 2, days: 364, benchmark: .v2021, expected: .medium),  // exactly 2/52 per week
        FrequencyCase(deployments: 1, days: 364, benchmark: .v2021, expected: .low),
        FrequencyCase(deployments: 30, days: 30, benchmark: .v2021, expected: .elite),
        FrequencyCase(deployments: 4, days: 30, benchmark: .v2021, expected: .high),
    ])
    func deploymentFrequencyBoundaries(_ c: FrequencyCase) {
        #expect(LevelTable.deploymentFrequency(deployments: c.deployments, days: c.days, benchmark: c.benchmark) == c.expected)
    }

    struct DurationCase: Sendable, CustomStringConvertible {
        var seconds: Double
        var benchmark: DoraDefinitions.Benchmark
        var leadTime: PerformanceLevel
        var restore: PerformanceLevel
        var description: String { "\(seconds)s \(benchmark.rawValue)" }
    }

    @Test(arguments: [
        DurationCase(seconds: hour - 1, benchmark: .v2023, leadTime: .elite, restore: .elite),
        DurationCase(seconds: hour, benchmark: .v2023, leadTime: .elite, restore: .high),
        DurationCase(seconds: day - 1, benchmark: .v2023, leadTime: .elite, restore: .high),
        DurationCase(seconds: day, benchmark: .v2023, leadTime: .high, restore: .medium),
        DurationCase(seconds: 7 * day, benchmark: .v2023, leadTime: .high, restore: .medium),
        DurationCase(seconds: 7 * day + 1, benchmark: .v2023, leadTime: .medium, restore: .low),
        DurationCase(seconds: 30 * day, benchmark: .v2023, leadTime: .medium, restore: .low),
        DurationCase(seconds: 30 * day + 1, benchmark: .v2023, leadTime: .low, restore: .low),
        DurationCase(seconds: hour - 1, benchmark: .v2021, leadTime: .elite, restore: .elite),
        DurationCase(seconds: hour, benchmark: .v2021, leadTime: .high, restore: .high),
        DurationCase(seconds: 7 * day, benchmark: .v2021, leadTime: .high, restore: .medium),
        DurationCase(seconds: 182 * day, benchmark: .v2021, leadTime: .medium, restore: .low),
        DurationCase(seconds: 182 * day + 1, benchmark: .v2021, leadTime: .low, restore: .low),
    ])
    func leadTimeAndRestoreBoundaries(_ c: DurationCase) {
        #expect(LevelTable.leadTime(p50: c.seconds, benchmark: c.benchmark) == c.leadTime)
        #expect(LevelTable.timeToRestore(p50: c.seconds, benchmark: c.benchmark) == c.restore)
    }

    struct RateCase: Sendable, CustomStringConvertible {
        var failed: Int
        var total: Int
        var v2023: PerformanceLevel
        var v2021: PerformanceLevel
        var description: String { "\(failed)/\(total)" }
    }

    @Test(arguments: [
        RateCase(failed: 0, total: 1, v2023: .elite, v2021: .elite),
        RateCase(failed: 1, total: 20, v2023: .elite, v2021: .elite),  // 5 %
        RateCase(failed: 1, total: 19, v2023: .high, v2021: .elite),
        RateCase(failed: 1, total: 10, v2023: .high, v2021: .elite),  // 10 %
        RateCase(failed: 3, total: 20, v2023: .medium, v2021: .elite),  // 15 %
        RateCase(failed: 4, total: 25, v2023: .low, v2021: .high),  // 16 %
        RateCase(failed: 1, total: 5, v2023: .low, v2021: .high),  // 20 %
        RateCase(failed: 3, total: 10, v2023: .low, v2021: .medium),  // 30 %
        RateCase(failed: 31, total: 100, v2023: .low, v2021: .low),
    ])
    func changeFailureRateBoundaries(_ c: RateCase) {
        let ratio = Ratio(numerator: c.failed, denominator: c.total)
        #expect(LevelTable.changeFailureRate(ratio, benchmark: .v2023) == c.v2023)
        #expect(LevelTable.changeFailureRate(ratio, benchmark: .v2021) == c.v2021)
        #expect(LevelTable.changeFailureRate(Ratio(numerator: 0, denominator: 0), benchmark: .v2023) == nil)
    }

    @Test func zeroDeploymentsInAWindowGradesLowWhenTheRepositoryHasDeployments() throws {
        let data = RepositoryData(
            repository: "r", commits: Fixtures.linear([0]), releases: [Fixtures.release(1, "v1", Fixtures.at(1), "c0")])
        let w = try Fixtures.window(data, window: .days(7), asOf: Fixtures.at(30))
        #expect(w.deployments == 0)
        #expect(w.levels == [.deploymentFrequency: .low])
        let none = try Fixtures.window(RepositoryData(repository: "r"), window: .days(7), asOf: Fixtures.at(30))
        #expect(none.levels.isEmpty)
    }
}
