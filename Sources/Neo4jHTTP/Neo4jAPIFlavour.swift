/// Which of Neo4j's HTTP APIs the client speaks.
public enum Neo4jAPIFlavour: String, Sendable, Hashable, CaseIterable {
    /// `POST /db/{db}/query/v2`: one statement per request (Neo4j 5.19+ when enabled, 5.25+, 2025.x, Aura).
    case queryAPI = "query"
    /// `POST /db/{db}/tx/commit`: several statements in one implicit transaction (Neo4j 4.4 and 5.x; not Aura).
    case transactional = "transactional"
}
