import Dora
import Foundation
import Neo4jHTTP
import TwinStore

/// The `$rows` of one repository's projection, built from the changed store rows, the live data (for relationships
/// into changed nodes from unchanged ones) and the DORA timeline (the derived set). Pure: no I/O. Every list has
/// the same kinds in the same order whatever the repository (empty ones included), so `statements` of several
/// repositories line up kind by kind and are written as one batch (`ProjectionBatch`).
struct ProjectionRows {
    typealias Row = [String: CypherValue]

    struct Relationships {
        var type: String
        var from: String
        var to: String
        var rows: [Row]
    }

    /// Label -> key rows of soft-deleted nodes.
    var deletions: [(String, [Row])] = []
    /// Label -> node rows, in write order.
    var nodes: [(String, [Row])] = []
    /// (type, start label, key rows): outgoing relationships removed before being merged again.
    var replacedOutgoing: [(String, String, [Row])] = []
    var relationships: [Relationships] = []
    var derivedNodes: [(String, [Row])] = []
    /// Label -> key rows with the derived properties (`Issue.incident`), set on nodes that exist.
    var derivedProperties: [(String, [Row])] = []
    var derivedRelationships: [Relationships] = []

    init(repository: String, branch: String, changes: ProjectionChanges, data: RepositoryData, timeline: DeploymentTimeline) {
        let repo = CypherValue.string(repository)
        func key(_ name: String, _ value: CypherValue) -> Row { ["repository": repo, name: value] }
        func link(_ fromKey: String, _ from: CypherValue, _ toKey: String, _ to: CypherValue) -> Row {
            ["repository": repo, ProjectionStatements.endField("from", fromKey): from, ProjectionStatements.endField("to", toKey): to]
        }

        let liveCommits = changes.commits.filter { !$0.deleted }
        let liveTags = changes.tags.filter { !$0.deleted }
        let liveReleases = changes.releases.filter { !$0.deleted }
        let liveIssues = changes.issues.filter { !$0.deleted }
        let liveWorkflows = changes.workflows.filter { !$0.deleted }
        let liveRuns = changes.workflowRuns.filter { !$0.deleted }

        // Deletions.
        var deleted: [(String, [Row])] = []
        deleted.append(("Commit", changes.commits.filter(\.deleted).map { key("sha", .string($0.sha)) }))
        deleted.append(("Tag", changes.tags.filter(\.deleted).map { key("name", .string($0.name)) }))
        deleted.append(("Release", changes.releases.filter(\.deleted).map { key("id", .int($0.id)) }))
        deleted.append(("Issue", changes.issues.filter(\.deleted).map { key("number", .int(Int64($0.number))) }))
        deleted.append(("WorkflowRun", changes.workflowRuns.filter(\.deleted).map { key("id", .int($0.id)) }))
        deleted.append(("Workflow", changes.workflows.filter(\.deleted).map { key("id", .int($0.id)) }))
        deletions = deleted

        // Nodes.
        var persons: [String: Row] = [:]
        func person(login: String?, name: String) -> String {
            let personKey = login ?? name
            persons[personKey] = ["repository": repo, "key": .string(personKey), "login": CypherValue(login)]
            return personKey
        }
        let commitRows: [Row] = liveCommits.map { commit -> Row in
            var row: Row = ["repository": repo, "sha": .string(commit.sha), "message": .string(commit.message)]
            row["authorName"] = .string(commit.authorName)
            row["authorLogin"] = CypherValue(commit.authorLogin)
            row["committerName"] = .string(commit.committerName)
            row["authoredAt"] = .datetime(commit.authoredAt)
            row["committedAt"] = .datetime(commit.committedAt)
            row["parentCount"] = .int(Int64(commit.parents.count))
            return row
        }
        var authored: [Row] = []
        for commit in liveCommits {
            let personKey = person(login: commit.authorLogin, name: commit.authorName)
            authored.append(link("key", .string(personKey), "sha", .string(commit.sha)))
        }
        var opened: [Row] = []
        var labels = Set<String>()
        var hasLabel: [Row] = []
        for issue in liveIssues {
            if let login = issue.userLogin {
                opened.append(link("key", .string(person(login: login, name: login)), "number", .int(Int64(issue.number))))
            }
            for label in Set(issue.labels) {
                labels.insert(label)
                hasLabel.append(link("number", .int(Int64(issue.number)), "name", .string(label)))
            }
        }
        let tagRows: [Row] = liveTags.map { tag -> Row in
            [
                "repository": repo, "name": .string(tag.name), "commitSha": .string(tag.commitSha), "annotated": .bool(tag.annotated),
                "taggerDate": .datetime(tag.taggerDate),
            ]
        }
        let releaseRows: [Row] = liveReleases.map { release -> Row in
            var row: Row = ["repository": repo, "id": .int(release.id), "tagName": .string(release.tagName)]
            row["name"] = CypherValue(release.name)
            row["draft"] = .bool(release.draft)
            row["prerelease"] = .bool(release.prerelease)
            row["createdAt"] = .datetime(release.createdAt)
            row["publishedAt"] = .datetime(release.publishedAt)
            row["commitSha"] = CypherValue(release.commitSha)
            return row
        }
        let issueRows: [Row] = liveIssues.map { issue -> Row in
            var row: Row = ["repository": repo, "number": .int(Int64(issue.number)), "id": .int(issue.id)]
            row["title"] = .string(issue.title)
            row["state"] = .string(issue.state)
            row["stateReason"] = CypherValue(issue.stateReason)
            row["labels"] = .list(issue.labels.map { CypherValue.string($0) })
            row["isPullRequest"] = .bool(issue.isPullRequest)
            row["createdAt"] = .datetime(issue.createdAt)
            row["updatedAt"] = .datetime(issue.updatedAt)
            row["closedAt"] = .datetime(issue.closedAt)
            return row
        }
        let workflowRows: [Row] = liveWorkflows.map { workflow -> Row in
            ["repository": repo, "id": .int(workflow.id), "name": .string(workflow.name), "path": .string(workflow.path), "state": .string(workflow.state)]
        }
        let runRows: [Row] = liveRuns.map { run -> Row in
            var duration = CypherValue.null
            if run.status == "completed", let started = run.runStartedAt {
                duration = .double(run.updatedAt.timeIntervalSince(started))
            }
            var row: Row = ["repository": repo, "id": .int(run.id), "workflowId": .int(run.workflowId)]
            row["name"] = CypherValue(run.name)
            row["headBranch"] = CypherValue(run.headBranch)
            row["headSha"] = .string(run.headSha)
            row["event"] = .string(run.event)
            row["status"] = .string(run.status)
            row["conclusion"] = CypherValue(run.conclusion)
            row["runAttempt"] = .int(Int64(run.runAttempt))
            row["runNumber"] = .int(Int64(run.runNumber))
            row["createdAt"] = .datetime(run.createdAt)
            row["runStartedAt"] = .datetime(run.runStartedAt)
            row["updatedAt"] = .datetime(run.updatedAt)
            row["durationSeconds"] = duration
            return row
        }
        let personRows: [Row] = persons.keys.sorted().compactMap { persons[$0] }
        let labelRows: [Row] = labels.sorted().map { key("name", .string($0)) }
        let allNodes: [(String, [Row])] = [
            ("Commit", commitRows), ("Person", personRows), ("Tag", tagRows), ("Release", releaseRows), ("Label", labelRows),
            ("Issue", issueRows), ("Workflow", workflowRows), ("WorkflowRun", runRows),
        ]
        nodes = allNodes

        var replaced: [(String, String, [Row])] = []
        replaced.append(("POINTS_TO", "Tag", liveTags.map { key("name", .string($0.name)) }))
        replaced.append(("TAGS", "Release", liveReleases.map { key("id", .int($0.id)) }))
        replaced.append(("HAS_LABEL", "Issue", liveIssues.map { key("number", .int(Int64($0.number))) }))
        replacedOutgoing = replaced

        // Relationships of changed rows, and into changed nodes from unchanged live rows.
        let changedShas = Set(liveCommits.map(\.sha))
        let changedWorkflows = Set(liveWorkflows.map(\.id))
        let changedRuns = Set(liveRuns.map(\.id))
        let changedTags = Set(liveTags.map(\.name))
        let changedReleases = Set(liveReleases.map(\.id))
        var parent: [Row] = []
        for commit in data.commits where changedShas.contains(commit.sha) || commit.parents.contains(where: changedShas.contains) {
            for parentSha in commit.parents { parent.append(link("sha", .string(commit.sha), "sha", .string(parentSha))) }
        }
        var pointsTo: [Row] = []
        for tag in data.tags where changedTags.contains(tag.name) || changedShas.contains(tag.commitSha) {
            pointsTo.append(link("name", .string(tag.name), "sha", .string(tag.commitSha)))
        }
        var tags: [Row] = []
        for release in data.releases {
            guard let sha = release.commitSha, changedReleases.contains(release.id) || changedShas.contains(sha) else { continue }
            tags.append(link("id", .int(release.id), "sha", .string(sha)))
        }
        var hasRun: [Row] = []
        var ranOn: [Row] = []
        for run in data.workflowRuns {
            let runChanged = changedRuns.contains(run.id)
            if runChanged || changedWorkflows.contains(run.workflowId) {
                hasRun.append(link("id", .int(run.workflowId), "id", .int(run.id)))
            }
            if runChanged || changedShas.contains(run.headSha) {
                ranOn.append(link("id", .int(run.id), "sha", .string(run.headSha)))
            }
        }
        relationships = [
            Relationships(type: "PARENT", from: "Commit", to: "Commit", rows: parent),
            Relationships(type: "AUTHORED", from: "Person", to: "Commit", rows: authored),
            Relationships(type: "POINTS_TO", from: "Tag", to: "Commit", rows: pointsTo),
            Relationships(type: "TAGS", from: "Release", to: "Commit", rows: tags),
            Relationships(type: "HAS_LABEL", from: "Issue", to: "Label", rows: hasLabel),
            Relationships(type: "OPENED", from: "Person", to: "Issue", rows: opened),
            Relationships(type: "HAS_RUN", from: "Workflow", to: "WorkflowRun", rows: hasRun),
            Relationships(type: "RAN_ON", from: "WorkflowRun", to: "Commit", rows: ranOn),
        ]

        // Derived set.
        let liveShas = Set(data.commits.map(\.sha))
        var deploymentRows: [String: Row] = [:]
        for attempt in timeline.failedAttempts {
            deploymentRows[attempt.key] = [
                "repository": repo, "key": .string(attempt.key), "name": .null, "origin": .string(Self.origin(attempt.origin)),
                "commitSha": .string(attempt.commitSha), "deployedAt": .datetime(attempt.time), "succeeded": .bool(false),
                "tracked": .bool(liveShas.contains(attempt.commitSha)), "baseline": .bool(false),
            ]
        }
        var deploys: [Row] = []
        var firstDeployed: [Row] = []
        var previous: [Row] = []
        var fromRelease: [Row] = []
        var fromTag: [Row] = []
        var fromRun: [Row] = []
        var previousKey: String?
        for deployment in timeline.deployments {
            deploymentRows[deployment.key] = [
                "repository": repo, "key": .string(deployment.key), "name": .string(deployment.name),
                "origin": .string(Self.origin(deployment.origin)), "commitSha": .string(deployment.commitSha),
                "deployedAt": .datetime(deployment.time), "succeeded": .bool(true), "tracked": .bool(deployment.tracked),
                "baseline": .bool(deployment.isBaseline),
            ]
            let deploymentKey = CypherValue.string(deployment.key)
            if deployment.tracked { deploys.append(link("key", deploymentKey, "sha", .string(deployment.commitSha))) }
            for commit in deployment.firstDeployed {
                var row = link("key", deploymentKey, "sha", .string(commit.sha))
                row["leadTimeSeconds"] = .double(commit.leadTimeSeconds)
                firstDeployed.append(row)
            }
            if let previousKey { previous.append(link("key", deploymentKey, "key", .string(previousKey))) }
            previousKey = deployment.key
            switch deployment.origin {
            case .release(let id): fromRelease.append(link("key", deploymentKey, "id", .int(id)))
            case .tag(let name): fromTag.append(link("key", deploymentKey, "name", .string(name)))
            case .workflowRun(let id): fromRun.append(link("key", deploymentKey, "id", .int(id)))
            case .deployment: break
            }
        }
        let attributed: [Row] = timeline.incidents.compactMap { incident in
            incident.attributedTo.map { link("number", .int(Int64(incident.number)), "key", .string($0)) }
        }
        let incidentNumbers = Set(timeline.incidents.map(\.number))
        let incidentRows: [Row] = data.issues.map { issue -> Row in
            ["repository": repo, "number": .int(Int64(issue.number)), "incident": .bool(incidentNumbers.contains(issue.number))]
        }
        derivedProperties = [("Issue", incidentRows)]
        var previousRun: [Row] = []
        let chains = Dictionary(grouping: data.workflowRuns) { "\($0.workflowId)\u{0}\($0.headBranch ?? "")" }
        for chainKey in chains.keys.sorted() {
            let runs = (chains[chainKey] ?? []).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            for index in runs.indices.dropFirst() {
                previousRun.append(link("id", .int(runs[index].id), "id", .int(runs[index - 1].id)))
            }
        }
        var head: [Row] = []
        let parents = Set(data.commits.flatMap(\.parents))
        if let tip = data.commits.filter({ !parents.contains($0.sha) }).max(by: { ($0.committedAt, $0.sha) < ($1.committedAt, $1.sha) }) {
            head.append(link("name", .string(branch), "sha", .string(tip.sha)))
        }
        derivedNodes = [
            ("Repository", [["repository": repo, "branch": .string(branch)]]),
            ("Branch", [key("name", .string(branch))]),
            ("Deployment", deploymentRows.keys.sorted().compactMap { deploymentRows[$0] }),
        ]
        derivedRelationships = [
            Relationships(type: "DEPLOYS", from: "Deployment", to: "Commit", rows: deploys),
            Relationships(type: "FIRST_DEPLOYED", from: "Deployment", to: "Commit", rows: firstDeployed),
            Relationships(type: "PREVIOUS", from: "Deployment", to: "Deployment", rows: previous),
            Relationships(type: "FROM", from: "Deployment", to: "Release", rows: fromRelease),
            Relationships(type: "FROM", from: "Deployment", to: "Tag", rows: fromTag),
            Relationships(type: "FROM", from: "Deployment", to: "WorkflowRun", rows: fromRun),
            Relationships(type: "ATTRIBUTED_TO", from: "Issue", to: "Deployment", rows: attributed),
            Relationships(type: "PREVIOUS_RUN", from: "WorkflowRun", to: "WorkflowRun", rows: previousRun),
            Relationships(type: "HEAD", from: "Branch", to: "Commit", rows: head),
        ]
        scope = [["repository": repo]]
    }

    /// The repository's own row (`{repository}`) for the statements scoped to the whole repository.
    var scope: [Row] = []

    /// Every statement of the run with its rows, in write order: soft-deleted rows leave the graph; nodes; the
    /// replaced outgoing relationships of changed start nodes, then the relationships of changed rows; orphans
    /// pruned; the derived set cleared and written again; derived properties set. Same texts in the same order
    /// for every repository (rows may be empty).
    var statements: [(text: String, rows: [Row])] {
        typealias S = ProjectionStatements
        var result: [(text: String, rows: [Row])] = []
        for (label, keys) in deletions { result.append((S.deleteNode(label), keys)) }
        for (label, nodeRows) in nodes { result.append((S.mergeNode(label), nodeRows)) }
        for (type, label, keys) in replacedOutgoing { result.append((S.deleteOutgoing(type, from: label), keys)) }
        for relationship in relationships {
            result.append((S.mergeRelationship(relationship.type, from: relationship.from, to: relationship.to), relationship.rows))
        }
        for label in S.prunedLabels { result.append((S.pruneOrphans(label), scope)) }
        result.append((S.clearNodes("Deployment"), scope))
        for (type, label) in S.derivedRelationships { result.append((S.clearRelationships(type, from: label), scope)) }
        for (label, nodeRows) in derivedNodes { result.append((S.mergeNode(label), nodeRows)) }
        for relationship in derivedRelationships {
            result.append((S.mergeRelationship(relationship.type, from: relationship.from, to: relationship.to), relationship.rows))
        }
        for (label, keyRows) in derivedProperties { result.append((S.setDerivedProperties(label), keyRows)) }
        return result
    }

    static func origin(_ origin: DeploymentTimeline.Origin) -> String {
        switch origin {
        case .release: return "release"
        case .tag: return "tag"
        case .workflowRun: return "workflow_run"
        case .deployment: return "deployment"
        }
    }
}
