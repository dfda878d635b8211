import Dora
import Hummingbird

/// One repository's series on `/metrics` (DORA and CI per window, definitions, coverage, sync health, projection
/// state) with their sample lines rendered once. A refresh keeps one per repository and builds a new one only for
/// a repository whose inputs changed, so rendering `/metrics` costs what changed, not what exists.
public struct RepositorySeries: Sendable {
    /// What the series are computed from, minus the instant (`RepositoryReport.asOf` moves with every refresh).
    public struct Inputs: Sendable, Hashable {
        public var windowResults: [WindowResult]?
        public var openIncidents: Int?
        public var definitions: DoraDefinitions?
        public var coverage: HistoryCoverage?
        public var syncHealth: RepositorySyncHealth?
        public var projection: ProjectionHealth.Repository?
        public var filter: MetricsFilter

        public init(
            report: RepositoryReport?, syncHealth: RepositorySyncHealth?, projection: ProjectionHealth.Repository?, filter: MetricsFilter
        ) {
            windowResults = report?.windowResults
            openIncidents = report?.openIncidents
            definitions = report?.definitions
            coverage = report?.coverage
            self.syncHealth = syncHealth
            self.projection = projection
            self.filter = filter
        }
    }

    public let repository: String
    public let inputs: Inputs
    /// The repository's families, catalogue order, filtered.
    public let families: [MetricFamily]
    /// Sample lines by catalogue position (nil: no sample in that family). Live samples carry no timestamp, so the
    /// lines are the same in the text format and in OpenMetrics.
    let lines: [ByteBuffer?]

    public init(
        repository: String, report: RepositoryReport?, syncHealth: RepositorySyncHealth?, projection: ProjectionHealth.Repository?,
        filter: MetricsFilter = .none
    ) {
        self.repository = repository
        inputs = Inputs(report: report, syncHealth: syncHealth, projection: projection, filter: filter)
        families = filter.apply(MetricsSnapshotBuilder.repositoryFamilies(report: report, syncHealth: syncHealth, projection: projection))
        var lines = [ByteBuffer?](repeating: nil, count: MetricCatalogue.all.count)
        for family in families {
            guard let position = MetricCatalogue.position[family.name] else { continue }
            var text = ""
            ExpositionRenderer.appendSamples(family.samples, of: family.name, format: .prometheusText, to: &text)
            if !text.isEmpty { lines[position] = ByteBuffer(string: text) }
        }
        self.lines = lines
    }

    /// Series (sample lines) of the repository.
    public var seriesCount: Int { families.reduce(0) { $0 + $1.samples.count } }

    /// Bytes of its sample lines.
    public var byteCount: Int { lines.reduce(0) { $0 + ($1?.readableBytes ?? 0) } }
}
