import Foundation

/// Durations as written in the configuration: a number of seconds, or text such as `90s`, `15m`, `1h`, `7d`, `2w`.
enum DurationText {
    static func parse(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last else { return nil }
        let factors: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let factor = factors[unit] {
            guard let number = Double(trimmed.dropLast()), number.isFinite, number >= 0 else { return nil }
            return number * factor
        }
        guard let seconds = Double(trimmed), seconds.isFinite, seconds >= 0 else { return nil }
        return seconds
    }

    /// The shortest exact text for a duration (`7d`, `15m`, `90s`).
    static func format(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return "\(seconds)s" }
        for (unit, factor) in [("w", 604_800.0), ("d", 86_400), ("h", 3600), ("m", 60)] where seconds >= factor {
            if seconds.truncatingRemainder(dividingBy: factor) == 0 { return "\(Int(seconds / factor))\(unit)" }
        }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
