import Foundation

/// Generates a main-branch history with merged feature branches, tags and releases.
struct CommitGenerator {
    struct Person {
        var name: String
        var email: String
        var login: String?
    }

    static let firstNames = [
        "Ada", "Linus", "Grace", "Ken", "Barbara", "Dennis", "Margaret", "Guido", "Radia", "Bjarne", "Frances",
        "Edsger", "Hedy", "Donald", "Karen", "Tim", "Anita", "Leslie", "Sophie", "Yukihiro",
    ]
    static let lastNames = [
        "Lovelace", "Torvalds", "Hopper", "Thompson", "Liskov", "Ritchie", "Hamilton", "Rossum", "Perlman",
        "Stroustrup", "Allen", "Dijkstra", "Lamarr", "Knuth", "Jones", "Berners", "Borg", "Lamport", "Wilson", "Matsumoto",
    ]
    static let verbs = ["Fix", "Add", "Update", "Refactor", "Remove", "Improve", "Document", "Test", "Bump", "Simplify"]
    static let objects = [
        "request parsing", "cache invalidation", "retry logic", "CLI flags", "config loading", "error messages",
        "metrics endpoint", "database migration", "login flow", "release notes", "CI pipeline", "date handling",
        "pagination", "logging", "dependency versions", "README", "timeouts", "rate limiting", "test fixtures", "build script",
    ]

    static func people(count: Int, rng: inout SplitMix64) -> [Person] {
        (0..<count).map { i in
            let first = firstNames[i % firstNames.count]
            let last = lastNames[(i / firstNames.count + i * 7) % lastNames.count]
            let name = "\(first) \(last)"
            let slug = "\(first.lowercased())-\(last.lowercased())\(i)"
            let hasLogin = i < 2 || !rng.chance(0.2)
            let email = hasLogin ? "\(slug)@users.noreply.github.com" : "\(slug)@corp.example.com"
            return Person(name: name, email: email, login: hasLogin ? slug : nil)
        }
    }

    static func message(_ rng: inout SplitMix64) -> String {
        "\(verbs[rng.int(0...verbs.count - 1)]) \(objects[rng.int(0...objects.count - 1)])"
    }

    /// Builds the commit graph, tags and releases ending shortly before `now`.
    /// `tagSpacing`: main-branch commits between two tags (release-on-tag repositories tag more often).
    /// `hoursBetweenCommits`: the mean gap between commits (nil: see `SimulatedTeamProfile.hoursBetweenCommits`).
    static func shape(
        owner: String, seed: UInt64, count: Int, now: Date, tagSpacing: ClosedRange<Int> = 30...60,
        hoursBetweenCommits: Double? = nil, rng: inout SplitMix64
    ) -> HistoryShape {
        let n = max(0, count)
        let people = people(count: min(80, max(4, n / 50)), rng: &rng)
        let mergeBot = Person(name: "GitHub", email: "noreply@github.com", login: "web-flow")
        // Mean gap: about two commits a day, denser for very large histories so they span at most ~5 years.
        let meanGap = hoursBetweenCommits.map { $0 * 3600 } ?? min(12 * 3600.0, 5 * 365 * 86_400.0 / Double(max(n, 1)))
        var gaps = [Double](repeating: 0, count: n)
        var total = 0.0
        for i in 0..<n {
            gaps[i] = meanGap * (0.2 + 1.6 * rng.unit())
            total += gaps[i]
        }
        let lastOffset = rng.seconds(300...min(7200, max(301, meanGap)))
        var clock = now.timeIntervalSince1970 - lastOffset - total
        var commits: [SimCommit] = []
        commits.reserveCapacity(n)
        var mainIndices: [Int] = []
        mainIndices.reserveCapacity(n)
        var merges: [HistoryShape.Merge] = []

        func nextTime() -> Date {
            clock += gaps[commits.count]
            return Date(timeIntervalSince1970: clock.rounded())
        }
        func makeCommit(parents: [String], author: Person, committer: Person, message: String, skew: Bool) -> SimCommit {
            let committed = nextTime()
            var authored = committed
            if skew { authored = committed.addingTimeInterval(-rng.seconds(3600...(7 * 86_400)).rounded()) }
            return SimCommit(
                sha: rng.sha(), parents: parents, message: message, authorName: author.name, authorEmail: author.email,
                authorLogin: author.login, authorDate: authored, committerName: committer.name,
                committerEmail: committer.email, committerLogin: .some(committer.login), committerDate: committed)
        }

        while commits.count < n {
            let remaining = n - commits.count
            let author = people[rng.int(0...people.count - 1)]
            if let head = commits.last?.sha, remaining >= 3, rng.chance(0.12) {
                let k = rng.int(1...min(3, remaining - 1))
                let branch = "feature/\(objects[rng.int(0...objects.count - 1)].replacingOccurrences(of: " ", with: "-"))-\(merges.count + 1)"
                var parent = head
                var featureIndices: [Int] = []
                for _ in 0..<k {
                    let c = makeCommit(parents: [parent], author: author, committer: author, message: message(&rng), skew: rng.chance(0.04))
                    parent = c.sha
                    featureIndices.append(commits.count)
                    commits.append(c)
                }
                let maintainer = people[rng.int(0...min(2, people.count - 1))]
                let merge = makeCommit(parents: [head, parent], author: maintainer, committer: mergeBot, message: "Merge", skew: false)
                merges.append(.init(mergeIndex: commits.count, featureIndices: featureIndices, branchName: branch))
                mainIndices.append(commits.count)
                commits.append(merge)
            } else {
                let parents = commits.last.map { [$0.sha] } ?? []
                let c = makeCommit(parents: parents, author: author, committer: author, message: message(&rng), skew: rng.chance(0.04))
                mainIndices.append(commits.count)
                commits.append(c)
            }
        }

        var (tags, releases) = tagsAndReleases(
            commits: commits, mainIndices: mainIndices, now: now, spacing: tagSpacing, rng: &rng)
        if let last = tags.last, !releases.isEmpty {
            let draftCreated = now.addingTimeInterval(-rng.seconds(3600...(3 * 86_400)).rounded())
            let draftTag = nextVersion(after: last.name, minor: true)
            releases.append(
                SimRelease(
                    id: (releases.map(\.id).max() ?? 0) + 1, tagName: draftTag, name: "\(draftTag) (draft)", draft: true,
                    prerelease: false, createdAt: max(draftCreated, commits[commits.count - 1].committerDate),
                    publishedAt: nil, targetCommitish: "main"))
        }
        return HistoryShape(
            commits: commits, mainIndices: mainIndices, merges: merges, tags: tags, releases: releases,
            defaultBranch: "main", now: now)
    }

    static func nextVersion(after tag: String, minor: Bool, major: Bool = false) -> String {
        let core = tag.dropFirst().split(separator: "-").first.map(String.init) ?? "0.0.0"
        let parts = core.split(separator: ".").compactMap { Int($0) } + [0, 0, 0]
        if major { return "v\(parts[0] + 1).0.0" }
        if minor { return "v\(parts[0]).\(parts[1] + 1).0" }
        return "v\(parts[0]).\(parts[1]).\(parts[2] + 1)"
    }

    static func tagsAndReleases(
        commits: [SimCommit], mainIndices: [Int], now: Date, spacing: ClosedRange<Int> = 30...60, rng: inout SplitMix64
    ) -> ([SimTag], [SimRelease]) {
        var tags: [SimTag] = []
        var releases: [SimRelease] = []
        var version = "v0.0.0"
        var pendingFinal: String?
        var position = rng.int(10...40)
        let nowSeconds = now.timeIntervalSince1970
        while position < mainIndices.count {
            let commit = commits[mainIndices[position]]
            let name: String
            var prerelease = false
            if let final = pendingFinal {
                name = final
                pendingFinal = nil
            } else {
                let roll = rng.unit()
                let major = tags.count >= 10 && roll < 0.04
                let minor = !major && roll < 0.3
                let next = nextVersion(after: version, minor: minor, major: major)
                if (minor || major) && rng.chance(0.35) {
                    name = next + "-rc.1"
                    prerelease = true
                    pendingFinal = next
                } else {
                    name = next
                }
                version = next
            }
            let annotated = rng.chance(0.4)
            var tagTime = commit.committerDate
            var tag = SimTag(name: name, commitSha: commit.sha)
            if annotated {
                tagTime = Date(timeIntervalSince1970: min(nowSeconds - 60, (commit.committerDate.timeIntervalSince1970 + rng.seconds(60...7200)).rounded()))
                tagTime = max(tagTime, commit.committerDate)
                tag.annotated = true
                tag.tagObjectSha = rng.sha()
                tag.taggerDate = tagTime
            }
            tags.append(tag)
            if prerelease || rng.chance(0.9) {
                let published = min(nowSeconds - 30, (tagTime.timeIntervalSince1970 + rng.seconds(300...21_600)).rounded())
                releases.append(
                    SimRelease(
                        id: 90_000_000 + releases.count + 1, tagName: name,
                        name: rng.chance(0.5) ? name : "Release \(name.dropFirst())", draft: false, prerelease: prerelease,
                        createdAt: commit.committerDate,
                        publishedAt: Date(timeIntervalSince1970: max(published, tagTime.timeIntervalSince1970)),
                        targetCommitish: "main"))
            }
            position += pendingFinal != nil ? rng.int(3...10) : rng.int(spacing)
        }
        return (tags, releases)
    }
}
