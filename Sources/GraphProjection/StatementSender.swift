import Neo4jHTTP

/// Packs statements into requests for one projection run: `$rows` are cut into statements of at most
/// `batchSize` rows, and consecutive statements share one request (one transaction on the classic endpoint)
/// until it carries `batchSize` rows. Order is kept, so nodes are written before relationships that MATCH them.
final class StatementSender {
    private let client: Neo4jClient
    private let batchSize: Int
    let tally: Neo4jRequestTally
    private var pending: [CypherStatement] = []
    private var pendingRows = 0
    private(set) var itemsWritten = 0
    private(set) var results: [QueryResult] = []

    init(client: Neo4jClient, batchSize: Int, tally: Neo4jRequestTally) {
        self.client = client
        self.batchSize = max(1, batchSize)
        self.tally = tally
    }

    /// Queues `text` over `rows`, split into chunks of `batchSize`.
    func send(_ text: String, rows: [[String: CypherValue]]) async throws(Neo4jError) {
        var start = 0
        while start < rows.count {
            let end = min(start + batchSize, rows.count)
            let chunk = rows[start..<end].map { CypherValue.map($0) }
            if pendingRows + chunk.count > batchSize { try await flush() }
            pending.append(CypherStatement(text, parameters: ["rows": .list(chunk)]))
            pendingRows += chunk.count
            itemsWritten += chunk.count
            start = end
        }
    }

    /// Queues a statement without rows (counts as one row for packing).
    func send(_ text: String, parameters: [String: CypherValue]) async throws(Neo4jError) {
        if pendingRows + 1 > batchSize { try await flush() }
        pending.append(CypherStatement(text, parameters: parameters))
        pendingRows += 1
    }

    /// Sends what is queued.
    func flush() async throws(Neo4jError) {
        guard !pending.isEmpty else { return }
        let statements = pending
        pending = []
        pendingRows = 0
        results = try await client.runBatch(statements, tally: tally)
    }
}
