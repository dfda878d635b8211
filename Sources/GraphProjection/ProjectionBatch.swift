import Neo4jHTTP

/// The rows of several repositories' projections, kind by kind: one statement per kind (node label, relationship
/// type, deletion, derived set) carries the rows of every repository in the cycle, so the requests of a cycle grow
/// with the rows written, not with the repositories. Rows keep the repositories' order (sorted by name), so
/// concurrent writers take the locks of one repository's keys in the same order.
struct ProjectionBatch {
    typealias Row = [String: CypherValue]

    /// Statement text and rows, in write order; kinds without rows left out.
    private(set) var statements: [(text: String, rows: [Row])] = []

    /// - Parameter parts: the repositories' rows, each with the same kinds in the same order.
    init(_ parts: [ProjectionRows]) {
        var merged: [(text: String, rows: [Row])] = []
        for part in parts {
            let statements = part.statements
            if merged.isEmpty {
                merged = statements
                continue
            }
            // Every ProjectionRows lists the same kinds in the same order; match by text all the same.
            for (index, statement) in statements.enumerated() {
                if index < merged.count, merged[index].text == statement.text {
                    merged[index].rows.append(contentsOf: statement.rows)
                } else if let position = merged.firstIndex(where: { $0.text == statement.text }) {
                    merged[position].rows.append(contentsOf: statement.rows)
                } else {
                    merged.append(statement)
                }
            }
        }
        statements = merged.filter { !$0.rows.isEmpty }
    }

    /// Rows over every statement.
    var rowCount: Int { statements.reduce(0) { $0 + $1.rows.count } }
}
