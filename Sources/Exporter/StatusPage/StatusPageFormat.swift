import Foundation

/// How the status page writes numbers, durations and instants for people. Every function answers nil for an
/// absent or non-finite value: the page then says "no data", never 0 or NaN.
enum StatusPageFormat {
    /// Two decimals: `0.43`.
    static func number(_ value: Double?) -> String? {
        guard let value, value.isFinite else { return nil }
        return String(format: "%.2f", value)
    }

    /// A ratio 0…1 as a percentage with one decimal: `12.5%`.
    static func percent(_ value: Double?) -> String? {
        guard let value, value.isFinite else { return nil }
        return String(format: "%.1f%%", value * 100)
    }

    /// `45s`, `12m 05s`, `3h 20m`, `2d 04h` (the units `devops-twin report` prints).
    static func duration(_ seconds: Double?) -> String? {
        guard let seconds, seconds.isFinite else { return nil }
        let sign = seconds < 0 ? "-" : ""
        let total = Int(min(abs(seconds), 1e15).rounded())
        let (d, h, m, s) = (total / 86_400, total % 86_400 / 3_600, total % 3_600 / 60, total % 60)
        if d > 0 { return sign + String(format: "%dd %02dh", d, h) }
        if h > 0 { return sign + String(format: "%dh %02dm", h, m) }
        if m > 0 { return sign + String(format: "%dm %02ds", m, s) }
        return sign + "\(s)s"
    }

    /// `2026-12-07 09:45:12 UTC`.
    static func instant(_ date: Date) -> String {
        let parts = Calendar.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d UTC", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0, parts.second ?? 0)
    }

    /// `2026-12-07`.
    static func day(_ date: Date) -> String {
        let parts = Calendar.utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The machine-readable form for `<time datetime>`: ISO 8601 in UTC.
    static func machineInstant(_ date: Date) -> String {
        instant(date).replacingOccurrences(of: " UTC", with: "Z").replacingOccurrences(of: " ", with: "T")
    }

    /// `1,234`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }
}

extension Calendar {
    fileprivate static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        return calendar
    }()
}
