import Foundation

/// A small inline SVG line chart of one series, drawn on the server (no JavaScript). The y axis runs from 0
/// (or the lowest value, when negative) to the highest value; an absent value leaves a gap in the line.
struct TrendChart: Sendable {
    /// Plot area in SVG user units; dots may overhang it by `margin`.
    var width: Double = 200
    var height: Double = 48
    var margin: Double = 4

    /// The `d` attribute of the line through `values`: x spreads the points evenly over `width`, y maps the
    /// range onto `height` (SVG y grows downwards). A point after a gap starts a new subpath (`M`).
    func path(_ values: [Double?]) -> String {
        points(values).map { segment in
            segment.enumerated().map { index, point in
                (index == 0 ? "M" : "L") + Self.coordinate(point.x) + "," + Self.coordinate(point.y)
            }.joined(separator: " ")
        }.joined(separator: " ")
    }

    /// The present values as plot coordinates, split into runs without gaps.
    func points(_ values: [Double?]) -> [[(x: Double, y: Double)]] {
        let present = values.compactMap { $0 }.filter(\.isFinite)
        guard let highest = present.max(), let lowest = present.min() else { return [] }
        let top = max(0, highest)
        let bottom = min(0, lowest)
        let span = top - bottom
        let step = values.count > 1 ? width / Double(values.count - 1) : 0
        var segments: [[(x: Double, y: Double)]] = []
        var current: [(x: Double, y: Double)] = []
        for (index, value) in values.enumerated() {
            guard let value, value.isFinite else {
                if !current.isEmpty { segments.append(current) }
                current = []
                continue
            }
            let x = values.count > 1 ? Double(index) * step : width / 2
            let y = span > 0 ? height - (value - bottom) / span * height : height
            current.append((x, y))
        }
        if !current.isEmpty { segments.append(current) }
        return segments
    }

    /// The chart as an `<svg>` element; `label` (escaped here) is its accessible name.
    func svg(_ values: [Double?], label: String) -> String {
        let segments = points(values)
        let viewBox = [-margin, -margin, width + 2 * margin, height + 2 * margin].map(Self.coordinate).joined(separator: " ")
        var svg = "<svg class=\"spark\" viewBox=\"\(viewBox)\" width=\"\(Self.coordinate(width + 2 * margin))\" "
        svg += "height=\"\(Self.coordinate(height + 2 * margin))\" role=\"img\" aria-label=\"\(label.htmlEscaped)\">"
        svg += "<line class=\"base\" x1=\"0\" y1=\"\(Self.coordinate(height))\" x2=\"\(Self.coordinate(width))\" y2=\"\(Self.coordinate(height))\"/>"
        svg += "<path class=\"line\" d=\"\(path(values))\"/>"
        let all = segments.flatMap { $0 }
        for (index, point) in all.enumerated() {
            let last = index == all.count - 1
            svg += "<circle class=\"\(last ? "dot last" : "dot")\" cx=\"\(Self.coordinate(point.x))\" "
            svg += "cy=\"\(Self.coordinate(point.y))\" r=\"\(last ? "3" : "1.8")\"/>"
        }
        return svg + "</svg>"
    }

    /// One decimal, no exponent: short, stable output.
    static func coordinate(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
