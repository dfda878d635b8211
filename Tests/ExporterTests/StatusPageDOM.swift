import Foundation

/// The elements of a status page that carry a metric value (`data-metric`), with their attributes unescaped,
/// read from the HTML text the way a browser would see the attributes.
struct StatusPageDOM {
    struct Element {
        var tag: String
        var attributes: [String: String]
        /// The element's text up to its closing tag, tags removed.
        var text: String
    }

    var elements: [Element]

    init(_ html: String) {
        let tagPattern = try! NSRegularExpression(pattern: #"<(span|time)\s([^>]*data-metric="[^"]*"[^>]*)>(.*?)</\1>"#, options: [.dotMatchesLineSeparators])
        let attributePattern = try! NSRegularExpression(pattern: #"([a-z][a-z0-9-]*)="([^"]*)""#)
        let range = NSRange(html.startIndex..., in: html)
        elements = tagPattern.matches(in: html, range: range).map { match in
            let tag = String(html[Range(match.range(at: 1), in: html)!])
            let attributeText = String(html[Range(match.range(at: 2), in: html)!])
            let inner = String(html[Range(match.range(at: 3), in: html)!])
            var attributes: [String: String] = [:]
            for attribute in attributePattern.matches(in: attributeText, range: NSRange(attributeText.startIndex..., in: attributeText)) {
                let name = String(attributeText[Range(attribute.range(at: 1), in: attributeText)!])
                attributes[name] = Self.unescape(String(attributeText[Range(attribute.range(at: 2), in: attributeText)!]))
            }
            let text = inner.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            return Element(tag: tag, attributes: attributes, text: Self.unescape(text))
        }
    }

    /// The labels of the `/metrics` sample an element names: repository, window, statistic, metric, resource.
    static func labels(of element: Element) -> [String: String] {
        var labels: [String: String] = [:]
        for (attribute, label) in [
            ("data-repository", "repository"), ("data-window", "window"), ("data-statistic", "statistic"),
            ("data-level-metric", "metric"), ("data-resource", "resource"), ("data-credential", "credential"),
        ] {
            if let value = element.attributes[attribute], !value.isEmpty { labels[label] = value }
        }
        return labels
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
