import Foundation
import JSONEscaping

/// Small helpers to write JSON text directly (fast, with a stable key order); strings through `JSONString`.
enum JSONText {
    static func string(_ value: String) -> String {
        JSONString.quoted(value)
    }

    static func string(_ value: String?) -> String {
        value.map { string($0) } ?? "null"
    }

    static func date(_ value: Date) -> String {
        "\"\(GitHubDate.format(value))\""
    }

    static func date(_ value: Date?) -> String {
        value.map { date($0) } ?? "null"
    }

    static func array(_ items: [String]) -> String {
        "[" + items.joined(separator: ",") + "]"
    }

    /// A strong ETag: a quoted 128-bit FNV-1a hash of the body.
    static func etag(_ body: [UInt8]) -> String {
        var a: UInt64 = 0xCBF2_9CE4_8422_2325
        var b: UInt64 = 0x8422_2325_CBF2_9CE4
        for byte in body {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 0x9E37
        }
        func hex(_ v: UInt64) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return "\"\(hex(a))\(hex(b))\""
    }
}
