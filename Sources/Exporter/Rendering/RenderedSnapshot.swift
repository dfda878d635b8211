import CompressNIO
import Hummingbird

/// A snapshot pre-rendered once into every body `/metrics` can send, and the status page `/` shows, so a
/// request is a lookup.
public struct RenderedSnapshot: Sendable {
    private enum Source: Sendable {
        case whole(MetricsSnapshot)
        case composed(ComposedSnapshot)
    }

    private let source: Source
    /// The status page's HTML; nil when the snapshot was published without its content.
    public let statusPage: ByteBuffer?
    private let plain: [ExpositionFormat: ByteBuffer]
    private let gzipped: [ExpositionFormat: ByteBuffer]

    /// What is served, as one value (assembled from the parts when published as a `ComposedSnapshot`).
    public var snapshot: MetricsSnapshot {
        switch source {
        case .whole(let snapshot): snapshot
        case .composed(let composed): composed.snapshot
        }
    }

    /// The parts, when published as a `ComposedSnapshot`.
    public var composed: ComposedSnapshot? {
        if case .composed(let composed) = source { return composed }
        return nil
    }

    /// Renders `snapshot` in both formats and gzips each rendering; renders the status page from `statusPage`.
    public init(_ snapshot: MetricsSnapshot, statusPage: StatusPageContent? = nil) throws(ExporterError) {
        try self.init(snapshot, renderedStatusPage: statusPage.map { ByteBuffer(string: StatusPageRenderer.render($0)) })
    }

    /// Renders `snapshot` and keeps an already rendered status page: what republishing the webhook counters
    /// between refreshes uses (the page does not show them).
    public init(_ snapshot: MetricsSnapshot, renderedStatusPage: ByteBuffer?) throws(ExporterError) {
        try self.init(.whole(snapshot), renderedStatusPage: renderedStatusPage) { ByteBuffer(string: ExpositionRenderer.render(snapshot, format: $0)) }
    }

    /// Assembles `composed` (the repositories' series are rendered already) in both formats and gzips each.
    public init(_ composed: ComposedSnapshot, statusPage: StatusPageContent? = nil) throws(ExporterError) {
        try self.init(composed, renderedStatusPage: statusPage.map { ByteBuffer(string: StatusPageRenderer.render($0)) })
    }

    /// Assembles `composed` and keeps an already rendered status page.
    public init(_ composed: ComposedSnapshot, renderedStatusPage: ByteBuffer?) throws(ExporterError) {
        try self.init(.composed(composed), renderedStatusPage: renderedStatusPage) { composed.render($0) }
    }

    private init(_ source: Source, renderedStatusPage: ByteBuffer?, render: (ExpositionFormat) -> ByteBuffer) throws(ExporterError) {
        self.source = source
        self.statusPage = renderedStatusPage
        var plain: [ExpositionFormat: ByteBuffer] = [:]
        var gzipped: [ExpositionFormat: ByteBuffer] = [:]
        for format in ExpositionFormat.allCases {
            var buffer = render(format)
            plain[format] = buffer
            do {
                gzipped[format] = try buffer.compress(with: .gzip())
            } catch {
                throw ExporterError(.compressionFailed, "gzip of the \(format.rawValue) exposition failed (\(error))")
            }
        }
        self.plain = plain
        self.gzipped = gzipped
    }

    /// The same `/metrics` bodies with the status page rendered from `content` (the expositions are not rendered
    /// again).
    public func replacingStatusPage(_ content: StatusPageContent) -> RenderedSnapshot {
        RenderedSnapshot(source: source, statusPage: ByteBuffer(string: StatusPageRenderer.render(content)), plain: plain, gzipped: gzipped)
    }

    private init(source: Source, statusPage: ByteBuffer?, plain: [ExpositionFormat: ByteBuffer], gzipped: [ExpositionFormat: ByteBuffer]) {
        self.source = source
        self.statusPage = statusPage
        self.plain = plain
        self.gzipped = gzipped
    }

    /// The body for `format`, gzip-compressed or not. Sharing a ByteBuffer copies nothing.
    public func body(_ format: ExpositionFormat, gzip: Bool) -> ByteBuffer {
        (gzip ? gzipped[format] : plain[format]) ?? ByteBuffer()
    }
}
