import Foundation

/// Renders a `MetricsSnapshot` in the Prometheus text format 0.0.4 or OpenMetrics 1.0. Pure and deterministic:
/// families and samples in snapshot order, metadata once per family before its samples, timestamps only on
/// samples that carry one (historical series for backfill; a live snapshot has none).
public enum ExpositionRenderer {
    /// The exposition of `snapshot` in `format`, ending with a newline (OpenMetrics: with `# EOF\n`).
    public static func render(_ snapshot: MetricsSnapshot, format: ExpositionFormat) -> String {
        var out = ""
        out.reserveCapacity(snapshot.families.reduce(0) { $0 + 160 + $1.samples.count * 120 })
        for family in snapshot.families {
            let samples = family.samples.filter { $0.value.isFinite }
            guard !samples.isEmpty else { continue }
            appendMetadata(of: family, format: format, to: &out)
            appendSamples(samples, of: family.name, format: format, to: &out)
        }
        if format == .openMetrics { out += "# EOF\n" }
        return out
    }

    /// A family's metadata lines (`# HELP`/`# TYPE`, OpenMetrics also `# UNIT`), in the order of `format`.
    static func appendMetadata(of family: MetricFamily, format: ExpositionFormat, to out: inout String) {
        switch format {
        case .prometheusText:
            out += "# HELP \(family.name) \(escapeHelp(family.help, format: format))\n"
            let type = switch family.type {
            case .counter: "counter"
            case .histogram: "histogram"
            case .gauge, .info: "gauge"
            }
            out += "# TYPE \(family.name) \(type)\n"
        case .openMetrics:
            let name = family.openMetricsName
            out += "# TYPE \(name) \(family.type.rawValue)\n"
            if let unit = family.unit { out += "# UNIT \(name) \(unit)\n" }
            out += "# HELP \(name) \(escapeHelp(family.help, format: format))\n"
        }
    }

    /// Sample lines of the family `name` (finite values only). Without timestamps the lines are the same in
    /// both formats.
    static func appendSamples(_ samples: [MetricSample], of name: String, format: ExpositionFormat, to out: inout String) {
        for sample in samples where sample.value.isFinite {
            out += name
            out += sample.suffix
            if !sample.labels.isEmpty {
                out += "{"
                for (index, label) in sample.labels.enumerated() {
                    if index > 0 { out += "," }
                    out += label.name
                    out += "=\""
                    out += escapeLabelValue(label.value)
                    out += "\""
                }
                out += "}"
            }
            out += " "
            out += formatValue(sample.value)
            if let timestamp = sample.timestamp {
                out += " "
                out += formatTimestamp(timestamp, format: format)
            }
            out += "\n"
        }
    }

    /// A finite value: integers (|v| < 2^53) without exponent or fraction, others in the shortest form that
    /// parses back to the same Double. Callers never pass NaN or infinities (the renderer drops them).
    public static func formatValue(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return value.description
    }

    /// OpenMetrics timestamps are seconds (a fraction only when needed); the 0.0.4 text format's are milliseconds.
    public static func formatTimestamp(_ timestamp: Date, format: ExpositionFormat) -> String {
        switch format {
        case .openMetrics: formatValue(timestamp.timeIntervalSince1970)
        case .prometheusText: String(Int64((timestamp.timeIntervalSince1970 * 1000).rounded(.down)))
        }
    }

    /// Label values escape backslash, double quote and newline in both formats.
    public static func escapeLabelValue(_ value: String) -> String {
        // Scanned as bytes, not Characters: a quote followed by a combining mark or a joiner is one Character
        // that is not `"`, and would have gone out unescaped (found by the label-values fuzz harness).
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else {
            return value
        }
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// HELP escapes backslash and newline; OpenMetrics also escapes the double quote.
    public static func escapeHelp(_ help: String, format: ExpositionFormat) -> String {
        var out = ""
        for scalar in help.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where format == .openMetrics: out += "\\\""
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
