import Foundation

/// The fingerprint of an alert that carries none: a hash of its sorted label set (spec v1.3), so that the same
/// labels always give the same fingerprint, whichever process computes it.
public enum AlertFingerprint {
    /// 16 hex digits of FNV-1a (64 bit) over `name=value` pairs sorted by name, each pair ended by a NUL byte
    /// and the name and value separated by a 0xFF byte (which UTF-8 never produces).
    public static func of(labels: [String: String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        for name in labels.keys.sorted() {
            for byte in name.utf8 { add(byte) }
            add(0xFF)
            for byte in (labels[name] ?? "").utf8 { add(byte) }
            add(0)
        }
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
