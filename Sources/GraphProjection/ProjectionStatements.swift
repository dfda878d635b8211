/// Every Cypher statement the projection sends, as fixed text: values only ever travel as parameters
/// (`$rows`, `$repository`, `$limit`). Every write takes `$rows`, each row naming its repository, so one statement
/// carries the rows of several repositories (`ProjectionBatch`). Node and relationship MERGEs are generated from `GraphSchema`; the texts
/// are pinned by golden files (Tests/SyncTests/ProjectionGolden).
public enum ProjectionStatements {
    /// `UNWIND $rows AS row MERGE (n:Label {key…}) SET n.p = row.p, n.t = datetime(row.t)` for a node type.
    public static func mergeNode(_ label: String) -> String {
        guard let node = GraphSchema.current.node(label) else { return "" }
        let key = node.key.map { "\($0): row.\($0)" }.joined(separator: ", ")
        var text = "UNWIND $rows AS row MERGE (n:\(label) {\(key)})"
        let assignments = node.properties.filter { !node.key.contains($0.name) && !$0.derived }.map { property in
            property.type == .datetime ? "n.\(property.name) = datetime(row.\(property.name))" : "n.\(property.name) = row.\(property.name)"
        }
        if !assignments.isEmpty { text += " SET " + assignments.joined(separator: ", ") }
        return text
    }

    /// Row field naming the start (`from…`) or end (`to…`) node's key property, e.g. `fromSha`, `toKey`.
    public static func endField(_ side: String, _ key: String) -> String {
        side + key.prefix(1).uppercased() + key.dropFirst()
    }

    /// The non-repository key property of a label (every relationship end has a two-part key).
    static func localKey(_ label: String) -> String {
        GraphSchema.current.node(label)?.key.last ?? "id"
    }

    /// `UNWIND $rows AS row MATCH (a:From {…}) MATCH (b:To {…}) MERGE (a)-[r:TYPE]->(b) [SET r.p = row.p]`.
    public static func mergeRelationship(_ type: String, from: String, to: String) -> String {
        let fromKey = localKey(from)
        let toKey = localKey(to)
        var text = "UNWIND $rows AS row"
            + " MATCH (a:\(from) {repository: row.repository, \(fromKey): row.\(endField("from", fromKey))})"
            + " MATCH (b:\(to) {repository: row.repository, \(toKey): row.\(endField("to", toKey))})"
            + " MERGE (a)-[r:\(type)]->(b)"
        let properties = GraphSchema.current.relationship(type)?.properties ?? []
        if !properties.isEmpty {
            text += " SET " + properties.map { "r.\($0.name) = row.\($0.name)" }.joined(separator: ", ")
        }
        return text
    }

    /// `UNWIND $rows AS row MATCH (n:Label {key…}) SET n.p = row.p` for the derived properties of a node type
    /// (e.g. `Issue.incident`): set on existing nodes only, every run with changes. "" when the label has none.
    public static func setDerivedProperties(_ label: String) -> String {
        guard let node = GraphSchema.current.node(label) else { return "" }
        let derived = node.properties.filter(\.derived)
        guard !derived.isEmpty else { return "" }
        let key = node.key.map { "\($0): row.\($0)" }.joined(separator: ", ")
        return "UNWIND $rows AS row MATCH (n:\(label) {\(key)}) SET "
            + derived.map { "n.\($0.name) = row.\($0.name)" }.joined(separator: ", ")
    }

    /// Removes nodes by natural key (soft-deleted rows), with their relationships.
    public static func deleteNode(_ label: String) -> String {
        let key = localKey(label)
        return "UNWIND $rows AS row MATCH (n:\(label) {repository: row.repository, \(key): row.\(key)}) DETACH DELETE n"
    }

    /// Removes the outgoing relationships of one type from nodes by key (before re-merging them).
    public static func deleteOutgoing(_ type: String, from label: String) -> String {
        let key = localKey(label)
        return "UNWIND $rows AS row MATCH (a:\(label) {repository: row.repository, \(key): row.\(key)})-[r:\(type)]->() DELETE r"
    }

    /// Removes every node of a label in the repositories of `$rows` (the derived set).
    public static func clearNodes(_ label: String) -> String {
        "UNWIND $rows AS row MATCH (n:\(label) {repository: row.repository}) DETACH DELETE n"
    }

    /// Removes every relationship of a type starting at the nodes of a label in the repositories of `$rows`
    /// (derived set).
    public static func clearRelationships(_ type: String, from label: String) -> String {
        "UNWIND $rows AS row MATCH (a:\(label) {repository: row.repository})-[r:\(type)]->() DELETE r"
    }

    /// Removes nodes of the repositories of `$rows` left without any relationship (persons, labels).
    public static func pruneOrphans(_ label: String) -> String {
        "UNWIND $rows AS row MATCH (n:\(label) {repository: row.repository}) WHERE NOT (n)--() DELETE n"
    }

    /// Deletes up to `$limit` nodes of a label in the repository (rebuild, in chunks).
    public static func deleteChunk(_ label: String) -> String {
        "MATCH (n:\(label) {repository: $repository}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
    }

    /// Names of the schema migrations already applied.
    public static let appliedMigrations = "MATCH (n:SchemaMigration) RETURN n.name AS name"

    /// Every statement by a stable name (the golden file name).
    public static var all: [(name: String, text: String)] {
        var result: [(String, String)] = []
        let schema = GraphSchema.current
        for node in schema.nodes {
            let snake = GraphSchema.snakeCase(node.label)
            result.append(("merge_\(snake)", mergeNode(node.label)))
            if node.properties.contains(where: \.derived) { result.append(("set_derived_\(snake)", setDerivedProperties(node.label))) }
            if node.key.count > 1 {
                result.append(("delete_\(snake)", deleteNode(node.label)))
                result.append(("delete_chunk_\(snake)", deleteChunk(node.label)))
            }
        }
        for relationship in schema.relationships {
            for from in relationship.from {
                for to in relationship.to {
                    let suffix = relationship.to.count > 1 ? "_\(GraphSchema.snakeCase(to))" : ""
                    result.append(("merge_\(relationship.type.lowercased())\(suffix)", mergeRelationship(relationship.type, from: from, to: to)))
                }
            }
        }
        for (type, label) in replacedOutgoing {
            result.append(("delete_outgoing_\(type.lowercased())", deleteOutgoing(type, from: label)))
        }
        result.append(("clear_deployment", clearNodes("Deployment")))
        for (type, label) in derivedRelationships {
            result.append(("clear_\(type.lowercased())", clearRelationships(type, from: label)))
        }
        for label in prunedLabels {
            result.append(("prune_\(GraphSchema.snakeCase(label))", pruneOrphans(label)))
        }
        result.append(("applied_migrations", appliedMigrations))
        for migration in schema.migrations {
            result.append(("migration_\(migration.name)", migration.statement))
            if let legacy = migration.statement4x { result.append(("migration_\(migration.name)_4x", legacy)) }
        }
        return result
    }

    /// Relationships replaced when their start node changes (tag moved, release retargeted, labels edited).
    static let replacedOutgoing: [(String, String)] = [("POINTS_TO", "Tag"), ("TAGS", "Release"), ("HAS_LABEL", "Issue")]
    /// Derived relationships not removed with the Deployment nodes.
    static let derivedRelationships: [(String, String)] = [("PREVIOUS_RUN", "WorkflowRun"), ("HEAD", "Branch")]
    /// Labels whose nodes only exist through relationships.
    static let prunedLabels = ["Person", "Label"]
}
