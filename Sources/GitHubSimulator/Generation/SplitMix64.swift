/// A small, fast, seeded pseudo-random generator (SplitMix64), so simulated data is reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose whole output is determined by `seed`.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly distributed integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) &+ 1
        if width == 0 { return range.lowerBound &+ Int(truncatingIfNeeded: next()) }
        return range.lowerBound + Int(next() % width)
    }

    /// A uniformly distributed value in `[0, 1)`.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// A uniformly distributed number of seconds in `range`.
    mutating func seconds(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// A 40 hex digit string, like a git object id.
    mutating func sha() -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        let a = next(), b = next(), c = next()
        return String(unsafeUninitializedCapacity: 40) { buffer in
            for i in 0..<16 { buffer[i] = digits[Int((a >> UInt64(60 - i * 4)) & 0xF)] }
            for i in 0..<16 { buffer[16 + i] = digits[Int((b >> UInt64(60 - i * 4)) & 0xF)] }
            for i in 0..<8 { buffer[32 + i] = digits[Int((c >> UInt64(60 - i * 4)) & 0xF)] }
            return 40
        }
    }

    /// FNV-1a hash of a string, to mix names into seeds deterministically (Swift's `hashValue` is randomised).
    static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }
}
