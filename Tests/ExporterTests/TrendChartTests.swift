import Testing

@testable import Exporter

@Suite("Status page trend chart")
struct TrendChartTests {
    static let chart = TrendChart(width: 100, height: 50, margin: 4)

    @Test(
        "the SVG path runs through the points, from 0 at the bottom to the highest value at the top",
        arguments: [
            ([0, 5, 10] as [Double?], "M0.0,50.0 L50.0,25.0 L100.0,0.0"),
            ([10, 5, 0], "M0.0,0.0 L50.0,25.0 L100.0,50.0"),
            ([2, 4, 4, 1], "M0.0,25.0 L33.3,0.0 L66.7,0.0 L100.0,37.5"),
            ([0, 0], "M0.0,50.0 L100.0,50.0"),
            ([3], "M50.0,0.0"),
            ([-1, 1], "M0.0,50.0 L100.0,0.0"),
        ])
    func pathThroughPoints(values: [Double?], expected: String) {
        #expect(Self.chart.path(values) == expected)
    }

    @Test(
        "an absent or non-finite value leaves a gap: the next point starts a new subpath",
        arguments: [
            ([1, nil, 2, 2] as [Double?], "M0.0,25.0 M66.7,0.0 L100.0,0.0"),
            ([nil, 4, 2, nil], "M33.3,0.0 L66.7,25.0"),
            ([4, .nan, 2, .infinity, 4], "M0.0,0.0 M50.0,25.0 M100.0,0.0"),
        ])
    func gaps(values: [Double?], expected: String) {
        #expect(Self.chart.path(values) == expected)
    }

    @Test("a series without any value has an empty path and no dots")
    func empty() {
        #expect(Self.chart.path([nil, nil]) == "")
        #expect(Self.chart.path([]) == "")
        #expect(!Self.chart.svg([nil, nil], label: "x").contains("<circle"))
    }

    @Test("the SVG element has the path, a dot per value (the last one marked) and an escaped label")
    func svgElement() {
        let svg = Self.chart.svg([0, 5, nil, 10], label: #"lead time of a<b>"c"&d"#)
        #expect(svg.hasPrefix("<svg class=\"spark\" viewBox=\"-4.0 -4.0 108.0 58.0\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains("d=\"M0.0,50.0 L33.3,25.0 M100.0,0.0\""))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3)
        #expect(svg.contains("<circle class=\"dot last\" cx=\"100.0\" cy=\"0.0\""))
        #expect(svg.contains("aria-label=\"lead time of a&lt;b&gt;&quot;c&quot;&amp;d\""))
        #expect(!svg.contains("NaN") && !svg.contains("nan") && !svg.contains("inf"))
    }
}
