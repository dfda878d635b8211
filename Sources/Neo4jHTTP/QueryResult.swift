/// The outcome of one statement: its columns, rows and update counters.
public struct QueryResult: Sendable, Hashable {
    /// Column names (`data.fields` of the Query API, `columns` of the classic endpoint).
    public var fields: [String]
    /// Rows aligned to `fields`.
    public var rows: [[CypherValue]]
    public var counters: QueryCounters
    /// Bookmarks returned by the server (Query API `bookmarks`, classic `lastBookmarks`).
    public var bookmarks: [String]

    public init(fields: [String] = [], rows: [[CypherValue]] = [], counters: QueryCounters = QueryCounters(), bookmarks: [String] = []) {
        self.fields = fields
        self.rows = rows
        self.counters = counters
        self.bookmarks = bookmarks
    }

    /// The rows as maps keyed by field name.
    public var records: [[String: CypherValue]] {
        rows.map { row in
            var record: [String: CypherValue] = [:]
            for (index, field) in fields.enumerated() where index < row.count { record[field] = row[index] }
            return record
        }
    }
}

/// Update counters of a statement (Query API `counters`, classic `stats`).
public struct QueryCounters: Sendable, Hashable {
    public var nodesCreated = 0
    public var nodesDeleted = 0
    public var relationshipsCreated = 0
    public var relationshipsDeleted = 0
    public var propertiesSet = 0
    public var constraintsAdded = 0
    public var indexesAdded = 0

    public init() {}

    init(_ map: [String: CypherValue]?) {
        guard let map else { return }
        func value(_ camel: String, _ snake: String) -> Int {
            Int(map[camel]?.intValue ?? map[snake]?.intValue ?? 0)
        }
        nodesCreated = value("nodesCreated", "nodes_created")
        nodesDeleted = value("nodesDeleted", "nodes_deleted")
        relationshipsCreated = value("relationshipsCreated", "relationships_created")
        relationshipsDeleted = value("relationshipsDeleted", "relationships_deleted")
        propertiesSet = value("propertiesSet", "properties_set")
        constraintsAdded = value("constraintsAdded", "constraints_added")
        indexesAdded = value("indexesAdded", "indexes_added")
    }
}
