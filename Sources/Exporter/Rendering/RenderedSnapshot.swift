import CompressNIO
import Hummingbird

/// A snapshot pre-rendered once into every body `/metrics` can send, and the status page `/` shows, so a
/// request is a lookup.
public struct RenderedSnapshot: Sendable {
    public let snapshot: MetricsSnapshot
    /// The status page's HTML; nil when the snapshot was published without its content.
    public let statusPage: ByteBuffer?
    private let plain: [ExpositionFormat: ByteBuffer]
    private let gzipped: [ExpositionFormat: ByteBuffer]

    /// Renders `snapshot` in both formats and gzips each rendering; renders the status page from `statusPage`.
    public init(_ snapshot: MetricsSnapshot, statusPage: StatusPageContent? = nil) throws(ExporterError) {
        try self.init(snapshot, renderedStatusPage: statusPage.map { ByteBuffer(string: StatusPageRenderer.render($0)) })
    }

    /// Renders `snapshot` and keeps an already rendered status page: what republishing the webhook counters
    /// between refreshes uses (the page does not show them).
    public init(_ snapshot: MetricsSnapshot, renderedStatusPage: ByteBuffer?) throws(ExporterError) {
        self.snapshot = snapshot
        self.statusPage = renderedStatusPage
        var plain: [ExpositionFormat: ByteBuffer] = [:]
        var gzipped: [ExpositionFormat: ByteBuffer] = [:]
        for format in ExpositionFormat.allCases {
            var buffer = ByteBuffer(string: ExpositionRenderer.render(snapshot, format: format))
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

    /// The body for `format`, gzip-compressed or not. Sharing a ByteBuffer copies nothing.
    public func body(_ format: ExpositionFormat, gzip: Bool) -> ByteBuffer {
        (gzip ? gzipped[format] : plain[format]) ?? ByteBuffer()
    }
}
