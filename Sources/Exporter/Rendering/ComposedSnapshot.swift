import Foundation
import Hummingbird

/// A snapshot kept in parts: the families that are not per repository (groups, rate limits, budgets, timestamps,
/// Neo4j up, webhooks, build info), and each repository's pre-rendered series in the configured order. Rendering
/// writes metadata once per family and copies the repositories' sample lines, so it costs a copy of the bytes,
/// not a rendering of every sample. The result is byte for byte what `ExpositionRenderer.render` gives for
/// `snapshot` (tested).
public struct ComposedSnapshot: Sendable {
    public let asOf: Date
    /// The families without a per-repository part.
    public let global: MetricsSnapshot
    public let repositories: [RepositorySeries]
    /// Applied to `global` already; kept to filter replaced webhook families the same way.
    public let filter: MetricsFilter

    public init(global: MetricsSnapshot, repositories: [RepositorySeries], filter: MetricsFilter = .none) {
        asOf = global.asOf
        self.global = global
        self.repositories = repositories
        self.filter = filter
    }

    /// The exposition in `format`.
    public func render(_ format: ExpositionFormat) -> ByteBuffer {
        let globalFamilies = Dictionary(global.families.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var capacity = global.families.reduce(0) { $0 + 200 + $1.samples.count * 120 }
        for series in repositories { capacity += series.byteCount }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(capacity + 64 * 1024)
        for (position, descriptor) in MetricCatalogue.all.enumerated() {
            let globalFamily = globalFamilies[descriptor.name]
            let globalSamples = globalFamily?.samples.filter { $0.value.isFinite } ?? []
            let hasLines = repositories.contains { $0.lines[position] != nil }
            guard !globalSamples.isEmpty || hasLines else { continue }
            var text = ""
            let metadata =
                globalFamily
                ?? MetricFamily(name: descriptor.name, type: descriptor.type, unit: descriptor.unit, help: descriptor.help, samples: [])
            ExpositionRenderer.appendMetadata(of: metadata, format: format, to: &text)
            ExpositionRenderer.appendSamples(globalSamples, of: descriptor.name, format: format, to: &text)
            buffer.writeString(text)
            guard hasLines else { continue }
            for series in repositories {
                if let lines = series.lines[position] { buffer.writeImmutableBuffer(lines) }
            }
        }
        if format == .openMetrics { buffer.writeString("# EOF\n") }
        return buffer
    }

    /// The whole snapshot as one value (families in catalogue order, the repositories' samples in their order).
    public var snapshot: MetricsSnapshot {
        var samples: [String: [MetricSample]] = [:]
        for series in repositories {
            for family in series.families { samples[family.name, default: []].append(contentsOf: family.samples) }
        }
        let globalFamilies = Dictionary(global.families.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let families = MetricCatalogue.all.compactMap { descriptor -> MetricFamily? in
            let own = globalFamilies[descriptor.name]?.samples ?? []
            let all = own + (samples[descriptor.name] ?? [])
            guard !all.isEmpty else { return nil }
            return MetricFamily(name: descriptor.name, type: descriptor.type, unit: descriptor.unit, help: descriptor.help, samples: all)
        }
        return MetricsSnapshot(asOf: asOf, families: families)
    }

    /// Series in the exposition.
    public var seriesCount: Int {
        global.families.reduce(0) { $0 + $1.samples.count } + repositories.reduce(0) { $0 + $1.seriesCount }
    }

    /// The same parts with the webhook families of the global part replaced (the receiver's counters move
    /// between refreshes).
    public func replacingWebhookFamilies(with webhooks: WebhookHealth) -> ComposedSnapshot {
        ComposedSnapshot(
            global: filter.apply(MetricsSnapshotBuilder.replacingWebhookFamilies(in: global, with: webhooks)), repositories: repositories,
            filter: filter)
    }
}
