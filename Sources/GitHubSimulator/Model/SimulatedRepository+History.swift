import Foundation

extension SimulatedRepository {
    /// A repository built from a recorded history file (`git-history/1`, described in Tests/Fixtures/README.md): its real commits,
    /// first-parent branch, authors and tags, releases for tags matching the file's `tag_regex`, and issues,
    /// workflows, runs and deployments derived from `seed`.
    public static func fromHistory(fileURL: URL, owner: String, name: String, seed: UInt64) throws -> SimulatedRepository {
        let data: Data
        do {
            data = try Data(contentsOf: fileURL)
        } catch {
            throw GitHubSimulatorError(kind: .historyUnreadable, detail: "\(fileURL.path): \(error.localizedDescription)")
        }
        func invalid(_ what: String) -> GitHubSimulatorError {
            GitHubSimulatorError(kind: .historyInvalid, detail: "\(fileURL.lastPathComponent): \(what)")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw invalid("not a JSON object") }
        guard let rows = root["commits"] as? [[Any]] else { throw invalid("missing commits") }
        let branch = root["branch"] as? String ?? "main"
        let authorRows = root["authors"] as? [[Any]] ?? []
        let authors: [(id: String, login: String?)] = authorRows.map { row in
            (id: row.first as? String ?? "unknown", login: row.count > 1 ? row[1] as? String : nil)
        }
        func person(_ index: Int) -> (name: String, email: String, login: String?) {
            guard index >= 0, index < authors.count else { return ("Unknown", "unknown@example.com", nil) }
            let author = authors[index]
            if let login = author.login { return (login, "\(login)@users.noreply.github.com", login) }
            return ("Contributor \(author.id.prefix(8))", "\(author.id)@example.com", nil)
        }
        func number(_ value: Any) -> Double? {
            (value as? NSNumber)?.doubleValue
        }
        var commits: [SimCommit] = []
        commits.reserveCapacity(rows.count)
        for (offset, row) in rows.enumerated() {
            guard row.count >= 6, let sha = row[0] as? String, let parents = row[1] as? [String],
                let authored = number(row[2]), let committed = number(row[3]), let authorIndex = number(row[4]),
                let committerIndex = number(row[5])
            else { throw invalid("commit row \(offset) is malformed") }
            let author = person(Int(authorIndex))
            let committer = person(Int(committerIndex))
            commits.append(
                SimCommit(
                    sha: sha, parents: parents, message: parents.count > 1 ? "Merge branch" : "Commit \(sha.prefix(7))",
                    authorName: author.name, authorEmail: author.email, authorLogin: author.login,
                    authorDate: Date(timeIntervalSince1970: authored), committerName: committer.name,
                    committerEmail: committer.email, committerLogin: .some(committer.login),
                    committerDate: Date(timeIntervalSince1970: committed)))
        }
        // Keep the head last, as the simulator treats the last commit as the head of the default branch.
        if let head = root["head"] as? String, let headOffset = commits.lastIndex(where: { $0.sha == head }), headOffset != commits.count - 1 {
            let headCommit = commits.remove(at: headOffset)
            commits.append(headCommit)
        }
        let index = Dictionary(commits.enumerated().map { ($1.sha, $0) }, uniquingKeysWith: { first, _ in first })
        let firstParent = (root["first_parent"] as? [String]) ?? []
        let mainIndices = firstParent.compactMap { index[$0] }
        let mainSet = Set(mainIndices)

        var rng = SplitMix64(seed: seed ^ SplitMix64.hash("\(owner)/\(name)".lowercased()))
        let repositoryID = repositoryID(for: "\(owner)/\(name)")
        let tagRegex = (root["tag_regex"] as? String).flatMap { try? NSRegularExpression(pattern: $0) }
        var tags: [SimTag] = []
        var releases: [SimRelease] = []
        let latest = commits.map(\.committerDate).max() ?? Date(timeIntervalSince1970: 1_577_836_800)
        // "Now" for a recorded history: an hour after its newest commit.
        let historyNow = latest.addingTimeInterval(3600)
        for row in root["tags"] as? [[Any]] ?? [] {
            guard row.count >= 5, let tagName = row[0] as? String, let sha = row[1] as? String else { continue }
            let annotated = row[2] as? Bool ?? false
            let tagTime = number(row[3]).map { Date(timeIntervalSince1970: $0) }
            var tag = SimTag(name: tagName, commitSha: sha, annotated: annotated)
            if annotated {
                tag.tagObjectSha = row[4] as? String ?? rng.sha()
                tag.taggerDate = tagTime ?? index[sha].map { commits[$0].committerDate }
            }
            tags.append(tag)
            let range = NSRange(tagName.startIndex..., in: tagName)
            guard tagRegex?.firstMatch(in: tagName, range: range) != nil || tagRegex == nil else { continue }
            let commitTime = index[sha].map { commits[$0].committerDate } ?? tagTime ?? latest
            let base = tagTime ?? commitTime
            releases.append(
                SimRelease(
                    id: 0, tagName: tagName, name: tagName, draft: false, prerelease: false, createdAt: commitTime,
                    publishedAt: max(base, min(historyNow, base.addingTimeInterval(rng.seconds(300...21_600).rounded()))),
                    targetCommitish: branch))
        }
        releases.sort { ($0.createdAt, $0.tagName) < ($1.createdAt, $1.tagName) }
        for i in releases.indices { releases[i].id = 90_000_000 + i + 1 }

        // Pull requests: merges on the branch with their second parent when it is a side commit.
        var merges: [HistoryShape.Merge] = []
        for mainIndex in mainIndices where commits[mainIndex].parents.count > 1 {
            guard let side = index[commits[mainIndex].parents[1]], !mainSet.contains(side) else { continue }
            merges.append(.init(mergeIndex: mainIndex, featureIndices: [side], branchName: "topic-\(merges.count + 1)"))
        }
        var shape = HistoryShape(
            commits: commits, mainIndices: mainIndices, merges: merges, tags: tags, releases: releases,
            defaultBranch: branch, now: historyNow)
        let activity = ActivityGenerator.derive(&shape, repositoryID: repositoryID, rng: &rng)
        return SimulatedRepository(
            owner: owner, name: name, id: repositoryID, defaultBranch: branch, commits: shape.commits, tags: tags,
            releases: releases, issues: activity.issues, workflows: activity.workflows, runs: activity.runs,
            deployments: activity.deployments)
    }
}
