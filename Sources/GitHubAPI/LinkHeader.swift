/// Parser of RFC 8288 `Link` headers as GitHub sends them for pagination.
public enum LinkHeader {
    /// Maps each relation (lower-cased) to its URL: `<u1>; rel="next", <u2>; rel="last"` ->
    /// `["next": "u1", "last": "u2"]`.
    ///
    /// Tolerant: any order, missing relations, unquoted or single-quoted values, several relations
    /// in one `rel`, commas inside `<...>`, extra parameters. Garbage yields an empty dictionary;
    /// it never traps. The first link of a relation wins.
    public static func parse(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        let scalars = Array(value.unicodeScalars)
        var index = 0
        let count = scalars.count
        while index < count {
            // Find the next "<"; everything before it (stray text, separators) is skipped.
            while index < count, scalars[index] != "<" { index += 1 }
            guard index < count else { break }
            index += 1
            let urlStart = index
            while index < count, scalars[index] != ">" { index += 1 }
            guard index < count else { break }
            let url = String(String.UnicodeScalarView(scalars[urlStart..<index])).trimmedOfBlanks
            index += 1
            // Parameters up to the next top-level comma (outside quotes).
            var rels: [String] = []
            while index < count {
                skip(" \t", in: scalars, at: &index)
                guard index < count else { break }
                if scalars[index] == "," { index += 1; break }
                if scalars[index] == "<" { break }
                guard scalars[index] == ";" else {
                    // Junk between parameters: skip to the next separator.
                    while index < count, scalars[index] != ";", scalars[index] != ",", scalars[index] != "<" { index += 1 }
                    continue
                }
                index += 1
                skip(" \t", in: scalars, at: &index)
                let nameStart = index
                while index < count, !"=;,<".unicodeScalars.contains(scalars[index]) { index += 1 }
                let name = String(String.UnicodeScalarView(scalars[nameStart..<index])).trimmedOfBlanks.lowercased()
                var parameterValue = ""
                if index < count, scalars[index] == "=" {
                    index += 1
                    skip(" \t", in: scalars, at: &index)
                    if index < count, scalars[index] == "\"" || scalars[index] == "'" {
                        let quote = scalars[index]
                        index += 1
                        let valueStart = index
                        while index < count, scalars[index] != quote { index += 1 }
                        parameterValue = String(String.UnicodeScalarView(scalars[valueStart..<index]))
                        if index < count { index += 1 }
                    } else {
                        let valueStart = index
                        while index < count, !";,<".unicodeScalars.contains(scalars[index]) { index += 1 }
                        parameterValue = String(String.UnicodeScalarView(scalars[valueStart..<index]))
                            .trimmedOfBlanks
                    }
                }
                if name == "rel" {
                    rels += parameterValue.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                }
            }
            guard !url.isEmpty else { continue }
            for rel in rels where result[rel] == nil {
                result[rel] = url
            }
        }
        return result
    }

    private static func skip(_ characters: String, in scalars: [Unicode.Scalar], at index: inout Int) {
        while index < scalars.count, characters.unicodeScalars.contains(scalars[index]) { index += 1 }
    }
}

extension String {
    fileprivate var trimmedOfBlanks: String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
