/// The graph the projection writes, as data: labels with their natural keys and properties, relationship types
/// with their end labels and properties, and the ordered schema migrations. Mirrored to `docs/graph-schema.json`
/// (a test fails when they differ); the statements of `ProjectionStatements` are generated from it.
public struct GraphSchema: Sendable, Hashable, Codable {
    public enum PropertyType: String, Sendable, Hashable, Codable {
        case string, integer, float, boolean, datetime
        case stringList = "list<string>"
    }

    public struct Property: Sendable, Hashable, Codable {
        public var name: String
        public var type: PropertyType
        public var description: String
        /// Derived: not written by the node's MERGE but recomputed by the DORA engine and set on every projection
        /// run with changes (like the derived relationships).
        public var derived: Bool

        public init(_ name: String, _ type: PropertyType, _ description: String, derived: Bool = false) {
            self.name = name
            self.type = type
            self.description = description
            self.derived = derived
        }
    }

    public struct NodeType: Sendable, Hashable, Codable {
        public var label: String
        /// Natural key (with `repository` first, except `SchemaMigration`), backed by a uniqueness constraint.
        public var key: [String]
        /// Every property written, key properties included.
        public var properties: [Property]
        public var description: String
        /// Derived: recomputed and replaced per repository on every projection run.
        public var derived: Bool
    }

    public struct RelationshipType: Sendable, Hashable, Codable {
        public var type: String
        public var from: [String]
        public var to: [String]
        public var properties: [Property]
        public var description: String
        public var derived: Bool
    }

    /// A named, ordered schema change (`IF NOT EXISTS`, so re-running it is harmless), recorded as
    /// `(:SchemaMigration {name})` once applied.
    public struct Migration: Sendable, Hashable, Codable {
        public var name: String
        public var statement: String
        /// The form for Neo4j 4.x, which has no composite uniqueness constraints: a composite index instead
        /// (MERGE still finds nodes by index; uniqueness rests on one writer per repository). nil: same as `statement`.
        public var statement4x: String?
    }

    public var version: Int
    public var nodes: [NodeType]
    public var relationships: [RelationshipType]
    public var migrations: [Migration]

    /// The node type with this label.
    public func node(_ label: String) -> NodeType? { nodes.first { $0.label == label } }

    public func relationship(_ type: String) -> RelationshipType? { relationships.first { $0.type == type } }
}

extension GraphSchema {
    /// The schema of this version of devops-twin.
    public static let current: GraphSchema = {
        let repository = Property("repository", .string, "owner/name of the configured repository")
        let nodes: [NodeType] = [
            NodeType(
                label: "Repository", key: ["repository"],
                properties: [repository, Property("branch", .string, "tracked branch")],
                description: "A configured repository.", derived: true),
            NodeType(
                label: "Branch", key: ["repository", "name"],
                properties: [repository, Property("name", .string, "branch name")],
                description: "The tracked branch; HEAD points at its newest commit.", derived: true),
            NodeType(
                label: "Commit", key: ["repository", "sha"],
                properties: [
                    repository, Property("sha", .string, "commit sha"), Property("message", .string, "commit message"),
                    Property("authorName", .string, "git author name"), Property("authorLogin", .string, "GitHub login of the author"),
                    Property("committerName", .string, "git committer name"),
                    Property("authoredAt", .datetime, "author date"), Property("committedAt", .datetime, "committer date"),
                    Property("parentCount", .integer, "number of parents (2+ for merges)"),
                ],
                description: "A commit of the tracked branch.", derived: false),
            NodeType(
                label: "Person", key: ["repository", "key"],
                properties: [
                    repository, Property("key", .string, "GitHub login, else the git author name"),
                    Property("login", .string, "GitHub login, when known"),
                ],
                description: "An author of commits or issues.", derived: false),
            NodeType(
                label: "Tag", key: ["repository", "name"],
                properties: [
                    repository, Property("name", .string, "tag name"), Property("commitSha", .string, "peeled commit sha"),
                    Property("annotated", .boolean, "annotated tag"), Property("taggerDate", .datetime, "tagger date (annotated tags)"),
                ],
                description: "A git tag.", derived: false),
            NodeType(
                label: "Release", key: ["repository", "id"],
                properties: [
                    repository, Property("id", .integer, "GitHub release id"), Property("tagName", .string, "tag of the release"),
                    Property("name", .string, "release title"), Property("draft", .boolean, "draft release"),
                    Property("prerelease", .boolean, "pre-release"), Property("createdAt", .datetime, "created"),
                    Property("publishedAt", .datetime, "published (nil for drafts)"),
                    Property("commitSha", .string, "commit the tag points to"),
                ],
                description: "A GitHub release.", derived: false),
            NodeType(
                label: "Deployment", key: ["repository", "key"],
                properties: [
                    repository, Property("key", .string, "release:<id>, tag:<name>, run:<id> or deployment:<id>"),
                    Property("name", .string, "release tag, tag, run or environment name"),
                    Property("origin", .string, "release, tag, workflow_run or deployment"),
                    Property("commitSha", .string, "deployed commit"), Property("deployedAt", .datetime, "deployment time"),
                    Property("succeeded", .boolean, "false for failed deployment attempts"),
                    Property("tracked", .boolean, "its commit is in the synced graph"),
                    Property("baseline", .boolean, "the first deployment (no lead-time samples)"),
                ],
                description: "A deployment as the DORA definitions see it (derived by the DORA engine).", derived: true),
            NodeType(
                label: "Issue", key: ["repository", "number"],
                properties: [
                    repository, Property("number", .integer, "issue number"), Property("id", .integer, "GitHub id"),
                    Property("title", .string, "title"), Property("state", .string, "open or closed"),
                    Property("stateReason", .string, "completed, not_planned, …"), Property("labels", .stringList, "label names"),
                    Property("isPullRequest", .boolean, "pull request"), Property("createdAt", .datetime, "opened"),
                    Property("updatedAt", .datetime, "last updated"), Property("closedAt", .datetime, "closed"),
                    Property(
                        "incident", .boolean, "an incident per the repository's incident rules (derived by the DORA engine)",
                        derived: true),
                ],
                description: "An issue or pull request.", derived: false),
            NodeType(
                label: "Label", key: ["repository", "name"], properties: [repository, Property("name", .string, "label name")],
                description: "An issue label.", derived: false),
            NodeType(
                label: "Workflow", key: ["repository", "id"],
                properties: [
                    repository, Property("id", .integer, "workflow id"), Property("name", .string, "workflow name"),
                    Property("path", .string, ".github/workflows/… file"), Property("state", .string, "active, disabled_…"),
                ],
                description: "A GitHub Actions workflow.", derived: false),
            NodeType(
                label: "WorkflowRun", key: ["repository", "id"],
                properties: [
                    repository, Property("id", .integer, "run id"), Property("workflowId", .integer, "workflow id"),
                    Property("name", .string, "run name"), Property("headBranch", .string, "branch"),
                    Property("headSha", .string, "commit"), Property("event", .string, "push, pull_request, …"),
                    Property("status", .string, "queued, in_progress, completed"),
                    Property("conclusion", .string, "success, failure, …"), Property("runAttempt", .integer, "attempt"),
                    Property("runNumber", .integer, "run number"), Property("createdAt", .datetime, "created"),
                    Property("runStartedAt", .datetime, "started"), Property("updatedAt", .datetime, "last updated"),
                    Property("durationSeconds", .float, "updatedAt - runStartedAt of a completed run"),
                ],
                description: "A GitHub Actions workflow run (latest attempt).", derived: false),
            NodeType(
                label: "SyncRun", key: ["repository", "id"],
                properties: [
                    repository, Property("id", .string, "start time as ISO-8601 UTC (unique per repository)"),
                    Property("startedAt", .datetime, "start"), Property("finishedAt", .datetime, "end"),
                    Property("outcome", .string, "success, failed, rate_limited, cancelled"), Property("error", .string, "why it failed"),
                    Property("requests", .integer, "GitHub requests sent"), Property("items", .integer, "items stored"),
                    Property("entities", .stringList, "entity=count pairs stored"),
                ],
                description: "One sync of the repository.", derived: false),
            NodeType(
                label: "SchemaMigration", key: ["name"],
                properties: [Property("name", .string, "migration name"), Property("appliedAt", .datetime, "when it was applied")],
                description: "A schema migration applied to this database (global: no repository).", derived: false),
        ]
        let relationships: [RelationshipType] = [
            RelationshipType(type: "HEAD", from: ["Branch"], to: ["Commit"], properties: [], description: "the branch's newest commit", derived: true),
            RelationshipType(type: "PARENT", from: ["Commit"], to: ["Commit"], properties: [], description: "git parent", derived: false),
            RelationshipType(type: "AUTHORED", from: ["Person"], to: ["Commit"], properties: [], description: "commit author", derived: false),
            RelationshipType(type: "POINTS_TO", from: ["Tag"], to: ["Commit"], properties: [], description: "peeled tag target", derived: false),
            RelationshipType(type: "TAGS", from: ["Release"], to: ["Commit"], properties: [], description: "the release's commit", derived: false),
            RelationshipType(type: "DEPLOYS", from: ["Deployment"], to: ["Commit"], properties: [], description: "the deployed commit", derived: true),
            RelationshipType(
                type: "FIRST_DEPLOYED", from: ["Deployment"], to: ["Commit"],
                properties: [Property("leadTimeSeconds", .float, "deployment time - commit time (<= 0 for skewed clocks)")],
                description: "commits this deployment delivered first", derived: true),
            RelationshipType(type: "PREVIOUS", from: ["Deployment"], to: ["Deployment"], properties: [], description: "the previous successful deployment", derived: true),
            RelationshipType(
                type: "FROM", from: ["Deployment"], to: ["Release", "Tag", "WorkflowRun"], properties: [],
                description: "what the deployment was derived from", derived: true),
            RelationshipType(type: "HAS_LABEL", from: ["Issue"], to: ["Label"], properties: [], description: "issue label", derived: false),
            RelationshipType(type: "OPENED", from: ["Person"], to: ["Issue"], properties: [], description: "issue author", derived: false),
            RelationshipType(
                type: "ATTRIBUTED_TO", from: ["Issue"], to: ["Deployment"], properties: [],
                description: "an incident attributed to the deployment that caused it", derived: true),
            RelationshipType(type: "HAS_RUN", from: ["Workflow"], to: ["WorkflowRun"], properties: [], description: "run of the workflow", derived: false),
            RelationshipType(type: "RAN_ON", from: ["WorkflowRun"], to: ["Commit"], properties: [], description: "the run's head commit", derived: false),
            RelationshipType(
                type: "PREVIOUS_RUN", from: ["WorkflowRun"], to: ["WorkflowRun"], properties: [],
                description: "the previous run of the same workflow on the same branch", derived: true),
        ]
        var migrations: [Migration] = []
        for node in nodes {
            let snake = snakeCase(node.label)
            let keys = node.key.map { "n.\($0)" }.joined(separator: ", ")
            let require = node.key.count == 1 ? keys : "(\(keys))"
            migrations.append(
                Migration(
                    name: "\(String(format: "%03d", migrations.count + 1))_\(snake)_key",
                    statement: "CREATE CONSTRAINT \(snake)_key IF NOT EXISTS FOR (n:\(node.label)) REQUIRE \(require) IS UNIQUE",
                    statement4x: node.key.count == 1
                        ? nil : "CREATE INDEX \(snake)_key IF NOT EXISTS FOR (n:\(node.label)) ON (\(keys))"))
        }
        for node in nodes where node.key.count > 1 {
            let snake = snakeCase(node.label)
            migrations.append(
                Migration(
                    name: "\(String(format: "%03d", migrations.count + 1))_\(snake)_repository",
                    statement: "CREATE INDEX \(snake)_repository IF NOT EXISTS FOR (n:\(node.label)) ON (n.repository)",
                    statement4x: nil))
        }
        return GraphSchema(version: 1, nodes: nodes, relationships: relationships, migrations: migrations)
    }()

    static func snakeCase(_ label: String) -> String {
        var result = ""
        for character in label {
            if character.isUppercase, !result.isEmpty { result.append("_") }
            result.append(contentsOf: character.lowercased())
        }
        return result
    }
}
