import Foundation

/// Health of the Neo4j projection. Pass nil to the builder when Neo4j is not configured: its families are then absent.
public struct ProjectionHealth: Sendable, Hashable {
    /// Projection state of one repository.
    public struct Repository: Sendable, Hashable {
        public var repository: String
        /// End of the last successful projection run.
        public var lastSuccess: Date?
        /// Projection runs by result (`success`, `failed`, …); `success` and `failed` are always exported.
        public var runsByResult: [String: Int]
        /// Store changes not yet in the graph (max sequence - watermark).
        public var lagItems: Int

        public init(repository: String, lastSuccess: Date? = nil, runsByResult: [String: Int] = [:], lagItems: Int = 0) {
            self.repository = repository
            self.lastSuccess = lastSuccess
            self.runsByResult = runsByResult
            self.lagItems = lagItems
        }
    }

    /// True when the last Neo4j call succeeded.
    public var neo4jUp: Bool
    public var repositories: [Repository]

    public init(neo4jUp: Bool, repositories: [Repository] = []) {
        self.neo4jUp = neo4jUp
        self.repositories = repositories
    }

    /// The results always exported for projection runs.
    public static let knownResults = ["success", "failed"]
}
