/// A ratio with its parts; `value` is nil when the denominator is 0 (no data).
public struct Ratio: Sendable, Hashable {
    public var numerator: Int
    public var denominator: Int

    public init(numerator: Int, denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public var value: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }
}
