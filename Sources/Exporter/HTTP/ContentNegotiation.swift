/// Chooses the exposition format and encoding of a `/metrics` response from the request headers.
public enum ContentNegotiation {
    /// OpenMetrics when `Accept` names `application/openmetrics-text` with a q-value at least that of
    /// `text/plain`; otherwise (no header, `*/*`, `text/plain`, anything else) the text format 0.0.4.
    public static func format(accept: String?) -> ExpositionFormat {
        guard let accept else { return .prometheusText }
        var openMetricsQuality = 0.0
        var textQuality = 0.0
        for range in parse(accept) {
            switch range.value {
            case "application/openmetrics-text": openMetricsQuality = max(openMetricsQuality, range.quality)
            case "text/plain": textQuality = max(textQuality, range.quality)
            default: continue
            }
        }
        return openMetricsQuality > 0 && openMetricsQuality >= textQuality ? .openMetrics : .prometheusText
    }

    /// True when `Accept-Encoding` allows gzip (`gzip`, `x-gzip` or `*` with a non-zero q-value).
    public static func acceptsGzip(_ acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        var gzip: Double?
        var wildcard: Double?
        for coding in parse(acceptEncoding) {
            switch coding.value {
            case "gzip", "x-gzip": gzip = max(gzip ?? 0, coding.quality)
            case "*": wildcard = max(wildcard ?? 0, coding.quality)
            default: continue
            }
        }
        if let gzip { return gzip > 0 }
        return (wildcard ?? 0) > 0
    }

    /// Comma-separated values with optional `;q=` weights, lowercased; other parameters are ignored.
    private static func parse(_ header: String) -> [(value: String, quality: Double)] {
        header.split(separator: ",").compactMap { element in
            let parts = element.split(separator: ";").map { $0.trimmingCharacters(in: " \t").lowercased() }
            guard let value = parts.first, !value.isEmpty else { return nil }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)).map { min(max($0, 0), 1) } ?? 0
            }
            return (value, quality)
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let scalars = Set(set.unicodeScalars)
        var view = Substring(self).unicodeScalars[...]
        while let first = view.first, scalars.contains(first) { view = view.dropFirst() }
        while let last = view.last, scalars.contains(last) { view = view.dropLast() }
        return String(String.UnicodeScalarView(view))
    }
}
