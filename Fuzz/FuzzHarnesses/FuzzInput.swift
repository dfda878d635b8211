import Foundation

/// Reads structured fields out of the fuzzer's bytes, so one input drives several parameters (a mode, a
/// header, a body). Reading past the end yields zeros and empty fields, never a trap.
struct FuzzInput {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ data: Data) {
        bytes = Array(data)
    }

    var isAtEnd: Bool { offset >= bytes.count }

    /// The next byte, or 0 at the end.
    mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// The bytes up to the next `separator` (consumed, not returned), or to the end.
    mutating func field(separatedBy separator: UInt8 = 0x0A) -> [UInt8] {
        let start = offset
        while offset < bytes.count, bytes[offset] != separator { offset += 1 }
        let field = Array(bytes[start..<offset])
        if offset < bytes.count { offset += 1 }
        return field
    }

    /// A length byte, then that many bytes (fewer at the end).
    mutating func chunk() -> [UInt8] {
        let length = Int(byte())
        let end = min(bytes.count, offset + length)
        let chunk = Array(bytes[min(offset, end)..<end])
        offset = max(offset, end)
        return chunk
    }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] {
        let rest = offset < bytes.count ? Array(bytes[offset...]) : []
        offset = bytes.count
        return rest
    }

    /// Bytes as text the way a server sees them: invalid UTF-8 becomes U+FFFD.
    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
