import CompressNIO
import Hummingbird

/// A snapshot pre-rendered once into every body `/metrics` can send, so a scrape is a lookup.
public struct RenderedSnapshot: Sendable {
    public let snapshot: MetricsSnapshot
    private let plain: [ExpositionFormat: ByteBuffer]
    private let gzipped: [ExpositionFormat: ByteBuffer]

    /// Renders `snapshot` in both formats and gzips each rendering.
    public init(_ snapshot: MetricsSnapshot) throws(ExporterError) {
        self.snapshot = snapshot
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
