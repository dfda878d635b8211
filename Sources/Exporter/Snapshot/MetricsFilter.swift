/// Families and windows a team does not chart, left out of `/metrics` (`exporter.exclude`). Built only through
/// `validated(...)`, so an unknown family name or window fails at load with a clear error, never silently.
public struct MetricsFilter: Sendable, Hashable {
    /// Family names (as in the text format, e.g. `devops_twin_ci_runs`) left out.
    public let families: Set<String>
    /// Window names (`7d`, `all`, …) whose samples are left out of every family with a `window` label.
    public let windows: Set<String>

    /// Keeps everything.
    public static let none = MetricsFilter(families: [], windows: [])

    private init(families: Set<String>, windows: Set<String>) {
        self.families = families
        self.windows = windows
    }

    /// Every family name `/metrics` can serve, in rendering order.
    public static var knownFamilies: [String] { MetricCatalogue.all.map(\.name) }

    /// - Parameters:
    ///   - families: family names to leave out; each must be one the exporter serves.
    ///   - windows: windows to leave out; each must be one of `knownWindows` (the configured `dora.windows`).
    /// - Throws: `ExporterError` (`invalidConfiguration`) naming the unknown entries.
    public static func validated(families: [String], windows: [String], knownWindows: [String]) throws(ExporterError) -> MetricsFilter {
        let known = Set(knownFamilies)
        let unknown = families.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw ExporterError(
                .invalidConfiguration,
                "exporter.exclude.families: unknown metric famil\(unknown.count == 1 ? "y" : "ies") \(unknown.joined(separator: ", "))"
                    + " (docs/metrics.md lists the families; names as served in the text format, e.g. devops_twin_ci_runs)")
        }
        let unknownWindows = windows.filter { !knownWindows.contains($0) }
        guard unknownWindows.isEmpty else {
            throw ExporterError(
                .invalidConfiguration,
                "exporter.exclude.windows: \(unknownWindows.joined(separator: ", ")) not among the configured dora.windows"
                    + " (\(knownWindows.joined(separator: ", ")))")
        }
        return MetricsFilter(families: Set(families), windows: Set(windows))
    }

    public var isEmpty: Bool { families.isEmpty && windows.isEmpty }

    /// `families` without the excluded families and the samples of excluded windows; families left empty go.
    public func apply(_ families: [MetricFamily]) -> [MetricFamily] {
        guard !isEmpty else { return families }
        return families.compactMap { family in
            guard !self.families.contains(family.name) else { return nil }
            guard !windows.isEmpty else { return family }
            var kept = family
            kept.samples = family.samples.filter { sample in sample.label("window").map { !windows.contains($0) } ?? true }
            return kept.samples.isEmpty ? nil : kept
        }
    }

    /// `snapshot` filtered.
    public func apply(_ snapshot: MetricsSnapshot) -> MetricsSnapshot {
        isEmpty ? snapshot : MetricsSnapshot(asOf: snapshot.asOf, families: apply(snapshot.families))
    }
}
