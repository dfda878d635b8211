import Exporter

/// A structural reading of an exposition, for order-insensitive comparison and format checks.
struct ParsedExposition: Equatable {
    struct Family: Equatable {
        /// Metadata lines in their order.
        var metadata: [String]
        var samples: Set<String>
        var sampleOrder: [String]

        static func == (a: Family, b: Family) -> Bool { a.metadata == b.metadata && a.samples == b.samples }
    }

    var families: [String: Family] = [:]
    var familyOrder: [String] = []
    /// Violations of the format rules found while reading.
    var problems: [String] = []
    var endsWithEOF = false

    /// Reads `text` in `format`: family blocks start with metadata; samples must belong to the current block.
    init(_ text: String, format: ExpositionFormat) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() } else { problems.append("no newline at the end") }
        if format == .openMetrics {
            endsWithEOF = lines.last == "# EOF"
            if endsWithEOF { lines.removeLast() }
            if lines.contains("# EOF") { problems.append("# EOF before the end") }
        }
        var current: String?
        var currentType = ""
        for line in lines {
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard parts.count >= 3, ["HELP", "TYPE", "UNIT"].contains(parts[1]) else {
                    if format == .openMetrics { problems.append("comment not allowed in OpenMetrics: \(line)") }
                    continue
                }
                let name = parts[2]
                if name != current {
                    if families[name] != nil { problems.append("family \(name) is interleaved or repeated") }
                    current = name
                    familyOrder.append(name)
                    families[name] = Family(metadata: [], samples: [], sampleOrder: [])
                }
                if families[name]?.sampleOrder.isEmpty == false { problems.append("metadata after samples: \(line)") }
                if parts[1] == "TYPE" { currentType = parts.count > 3 ? parts[3] : "" }
                families[name]?.metadata.append(line)
                continue
            }
            let sampleName = String(line.prefix { $0 != "{" && $0 != " " })
            guard let family = current else {
                problems.append("sample before any metadata: \(line)")
                continue
            }
            let allowed: Set<String> =
                switch (format, currentType) {
                case (.openMetrics, "counter"): [family + "_total"]
                case (.openMetrics, "info"): [family + "_info"]
                case (_, "histogram"): [family + "_bucket", family + "_sum", family + "_count"]
                default: [family]
                }
            if !allowed.contains(sampleName) { problems.append("sample \(sampleName) outside its family \(family)") }
            if families[family]?.samples.insert(line).inserted == false { problems.append("duplicate sample: \(line)") }
            families[family]?.sampleOrder.append(line)
        }
    }

    static func == (a: ParsedExposition, b: ParsedExposition) -> Bool { a.families == b.families }
}
