import ArgumentParser
import Foundation
import TwinConfig
import TwinRuntime

struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Write historical DORA series (one point per step) in OpenMetrics, for `promtool tsdb create-blocks-from openmetrics`.",
        discussion: """
            Example: devops-twin backfill --from 2024-01-01 --step 1d --output dora.om
                     promtool tsdb create-blocks-from openmetrics dora.om /prometheus/data
            The points are computed from the store exactly as the live exporter computes them at those instants.
            """
    )

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "First instant: an ISO 8601 date or time, or a look-back before --to such as 395d. Default: 90d.")
    var from: String?

    @Option(name: .long, help: "Last instant (exclusive of later ones). Default: now.")
    var to: String?

    @Option(name: .long, help: "Distance between points, e.g. 1d, 12h, 1w.")
    var step: String = "1d"

    @Option(name: .long, help: "Output file (default: standard output).")
    var output: String?

    func run() async throws {
        let logger = options.makeLogger()
        try await CommandFailure.reporting {
            let configuration = try options.loadConfiguration(logger: logger)
            let end = try date(to, name: "--to") ?? Date()
            guard let stepSeconds = DurationStep.seconds(step), stepSeconds >= 60 else {
                throw CommandFailure("--step \(step) is not a duration of at least 1m (e.g. 1d, 12h)", exitCode: 2)
            }
            // Instants on multiples of the step (whole hours, UTC midnights), where range queries with a
            // step Grafana aligns the same way find them.
            let lookBack = from.flatMap { DurationStep.seconds($0) } ?? (from == nil ? 90 * 86_400 : nil)
            let start: Date
            if let lookBack {
                let first = end.timeIntervalSince1970 - lookBack
                start = Date(timeIntervalSince1970: (first / stepSeconds).rounded(.up) * stepSeconds)
            } else {
                start = try date(from, name: "--from") ?? end
            }
            guard start <= end else { throw CommandFailure("--from is after --to", exitCode: 2) }
            let count = Int(end.timeIntervalSince(start) / stepSeconds) + 1
            guard count <= 100_000 else { throw CommandFailure("\(count) points are too many; use a larger --step", exitCode: 2) }
            let store = try configuration.openStore(logger: logger)
            let inForce = configuration.withLastDiscovery(store: store)
            let instants = (0..<count).map {
                Date(timeIntervalSince1970: (start.timeIntervalSince1970 + Double($0) * stepSeconds).rounded(.down))
            }
            let text = try HistoricalSeries.openMetrics(
                store: store, repositories: inForce.repositories, groups: inForce.groups, windows: inForce.dora.windows,
                benchmark: inForce.dora.benchmark, instants: instants)
            if let output {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
                logger.info("backfill written", metadata: ["file": "\(output)", "points": "\(count)"])
            } else {
                print(text, terminator: "")
            }
        }
    }

    private func date(_ text: String?, name: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = ConfigLoader.parseDate(text) else {
            throw CommandFailure("\(name) \(text) is not a date (2024-01-31 or 2024-01-31T00:00:00Z)\(name == "--from" ? " or a look-back such as 395d" : "")", exitCode: 2)
        }
        return date
    }
}

enum DurationStep {
    static func seconds(_ text: String) -> Double? {
        let factors: [Character: Double] = ["m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = text.last, let factor = factors[unit], let number = Double(text.dropLast()), number > 0 else { return nil }
        return number * factor
    }
}
