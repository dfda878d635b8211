// DORA engine benchmark: a generated 1,000,000-commit history (mostly linear, with merges), 10,000
// deployments (releases) and 50,000 issues; times `DoraEngine.report` for the default windows + `all`,
// reports peak RSS, and compares with a naive per-deployment ancestor walk measured in the same run on a
// smaller history and extrapolated (the naive walk is quadratic: deployments x commits).
import Dora
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Generator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: UInt64) -> UInt64 { next() % n }
}

let hexDigits = Array("0123456789abcdef".utf8)

func sha(_ i: Int) -> String {
    var bytes = [UInt8](repeating: UInt8(ascii: "0"), count: 40)
    var value = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 ^ 0xD1B5_4A32_D192_ED03
    var position = 39
    while position >= 0 {
        bytes[position] = hexDigits[Int(value & 15)]
        value = value >> 4 | (value << 60)
        value ^= UInt64(i) &+ UInt64(position)
        position -= 1
    }
    return String(decoding: bytes, as: UTF8.self)
}

let start = 1_600_000_000.0
let spacing = 100.0

func history(commits n: Int, deployments d: Int, issues m: Int, name: String = "bench/large", offset: Int = 0) -> RepositoryData {
    var generator = Generator(seed: 42 &+ UInt64(offset))
    var shas: [String] = []
    shas.reserveCapacity(n)
    var commits: [CommitRecord] = []
    commits.reserveCapacity(n)
    for i in 0..<n {
        let s = sha(i + offset)
        shas.append(s)
        var parents: [String] = []
        if i > 0 { parents.append(shas[i - 1]) }
        if i >= 8, i % 8 == 0 { parents.append(shas[i - 7]) }  // a merge of a short side line
        let committed = Date(timeIntervalSince1970: start + Double(i) * spacing)
        commits.append(
            CommitRecord(
                sha: s, parents: parents, authoredAt: committed.addingTimeInterval(-Double(generator.below(7_200))),
                committedAt: committed))
    }
    let step = n / d
    var releases: [ReleaseRecord] = []
    for k in 0..<d {
        let index = k * step + step - 1
        releases.append(
            ReleaseRecord(
                id: Int64(k + 1), tagName: "v\(k)", publishedAt: Date(timeIntervalSince1970: start + Double(index) * spacing + 3_600),
                commitSha: shas[index]))
    }
    let span = Double(n) * spacing
    var issues: [IssueRecord] = []
    for k in 0..<m {
        let opened = start + Double(generator.below(UInt64(span)))
        let closed = generator.below(10) < 8 ? opened + Double(generator.below(200_000)) : nil
        let labels = generator.below(3) == 0 ? ["Incident", "prod"] : ["bug"]
        issues.append(
            IssueRecord(
                number: k + 1, isPullRequest: generator.below(10) == 0, labels: labels, state: closed == nil ? "open" : "closed",
                stateReason: generator.below(20) == 0 ? "not_planned" : "completed", createdAt: Date(timeIntervalSince1970: opened),
                closedAt: closed.map { Date(timeIntervalSince1970: $0) }))
    }
    return RepositoryData(repository: name, commits: commits, releases: releases, issues: issues)
}

/// The naive algorithm: for every deployment, walk all its ancestors by sha, minus what was deployed before.
func naiveFirstDeployed(_ data: RepositoryData) -> Int {
    var parents: [String: [String]] = [:]
    for commit in data.commits { parents[commit.sha] = commit.parents }
    var deployed = Set<String>()
    var total = 0
    for release in data.releases.sorted(by: { ($0.publishedAt ?? .distantPast) < ($1.publishedAt ?? .distantPast) }) {
        guard let head = release.commitSha else { continue }
        var ancestors = Set<String>()
        var stack = [head]
        while let sha = stack.popLast() {
            guard ancestors.insert(sha).inserted else { continue }
            stack.append(contentsOf: parents[sha] ?? [])
        }
        total += ancestors.subtracting(deployed).count
        deployed.formUnion(ancestors)
    }
    return total
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576
    #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1_024
    #endif
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let elapsed = try clock.measure(body)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

// `devops-twin-dora-bench group`: a group of 200 repositories with 1,000,000 commits in all (5,000 each, 50
// deployments and 250 issues each), `DoraEngine.groupReport` against the naive way: each repository's report,
// then its statistics merged (the mean of the p50s, which is also the wrong number).
if CommandLine.arguments.dropFirst().first == "group" {
    let members = 200
    let perMember = 5_000
    var repositories: [RepositoryData] = []
    let generated = seconds {
        repositories = (0..<members).map {
            history(commits: perMember, deployments: 50, issues: 250, name: "bench/r\($0)", offset: $0 * 10_000_000)
        }
    }
    let asOf = Date(timeIntervalSince1970: start + Double(perMember) * spacing + 86_400)
    let definitions = DoraDefinitions(incidentRules: [["incident", "prod"]])
    let windows = DoraWindow.defaults + [.all]
    print("generated \(members) repositories, \(members * perMember) commits in all, in \(String(format: "%.2f", generated)) s; peak RSS \(String(format: "%.0f", peakRSSMiB())) MiB")
    let groupMembers = repositories.map { GroupMember(data: $0, definitions: definitions) }
    var group: GroupReport? = nil
    var naiveP50: Double = 0
    var groupRuns: [Double] = []
    var naiveRuns: [Double] = []
    for _ in 0..<3 {
        groupRuns.append(try seconds {
            group = try DoraEngine.groupReport(group: "bench", members: groupMembers, windows: windows, asOf: asOf, benchmark: .v2023)
        })
        naiveRuns.append(try seconds {
            let reports = try repositories.map { try DoraEngine.report(for: $0, definitions: definitions, windows: windows, asOf: asOf) }
            let p50s = reports.compactMap { $0.windows.last?.leadTime.p50 }
            naiveP50 = p50s.reduce(0, +) / Double(max(p50s.count, 1))
        })
    }
    let best = groupRuns.min() ?? 0
    let baseline = naiveRuns.min() ?? 0
    let all = group?.windows.last
    print("DoraEngine.groupReport, 200 members, 4 windows: best \(String(format: "%.3f", best)) s of \(groupRuns.map { String(format: "%.3f", $0) })")
    print("naive per repository then merge: best \(String(format: "%.3f", baseline)) s of \(naiveRuns.map { String(format: "%.3f", $0) })")
    print("ratio group / naive: \(String(format: "%.2f", best / max(baseline, 1e-9)))")
    print("  all: deployments \(all?.deployments ?? 0), lead-time samples \(all?.leadTime.samples ?? 0); exact p50 \(String(format: "%.0f", all?.leadTime.p50 ?? .nan)) s, mean of the members' p50s \(String(format: "%.0f", naiveP50)) s")
    print("peak RSS: \(String(format: "%.0f", peakRSSMiB())) MiB")
    exit(0)
}

let commitCount = 1_000_000
let deploymentCount = 10_000
let issueCount = 50_000
let definitions = DoraDefinitions(incidentRules: [["incident", "prod"]])
let windows = DoraWindow.defaults + [.all]

var data = RepositoryData(repository: "")
let generation = seconds { data = history(commits: commitCount, deployments: deploymentCount, issues: issueCount) }
let asOf = Date(timeIntervalSince1970: start + Double(commitCount) * spacing + 86_400)
print("generated \(commitCount) commits, \(deploymentCount) deployments, \(issueCount) issues in \(String(format: "%.2f", generation)) s")
print("peak RSS after generation: \(String(format: "%.0f", peakRSSMiB())) MiB")

var report: RepositoryReport? = nil
var runs: [Double] = []
for _ in 0..<3 {
    runs.append(try seconds { report = try DoraEngine.report(for: data, definitions: definitions, windows: windows, asOf: asOf) })
}
let best = runs.min() ?? 0
let all = report?.windows.last
print(
    "DoraEngine.report (7d, 30d, 90d, all): best \(String(format: "%.3f", best)) s of \(runs.map { String(format: "%.3f", $0) })"
)
print(
    "  all: deployments \(all?.deployments ?? 0), lead-time samples \(all?.leadTime.samples ?? 0), incidents \(all?.incidents ?? 0), p50 lead \(all?.leadTime.p50 ?? .nan) s"
)
print("peak RSS: \(String(format: "%.0f", peakRSSMiB())) MiB")

// Baseline: the naive walk on a 1/50-size history (20,000 commits, 200 deployments), extrapolated.
let smallCommits = 20_000
let smallDeployments = 200
let small = history(commits: smallCommits, deployments: smallDeployments, issues: 1_000)
var naiveCount = 0
let naive = seconds { naiveCount = naiveFirstDeployed(small) }
var smallReport: RepositoryReport? = nil
let fastSmall = try seconds {
    smallReport = try DoraEngine.report(for: small, definitions: definitions, windows: windows, asOf: asOf)
}
let scale = (Double(commitCount) / Double(smallCommits)) * (Double(deploymentCount) / Double(smallDeployments))
let extrapolated = naive * scale
print(
    "naive per-deployment ancestor walk, \(smallCommits) commits x \(smallDeployments) deployments: \(String(format: "%.3f", naive)) s (\(naiveCount) first-deployed commits); engine on the same: \(String(format: "%.4f", fastSmall)) s (\(smallReport?.windows.last?.leadTime.samples ?? 0) samples)"
)
print(
    "naive extrapolated to \(commitCount) x \(deploymentCount) (x\(Int(scale)), quadratic model, an estimate, not measured): \(String(format: "%.0f", extrapolated)) s"
)
print("ratio naive (extrapolated) / engine: \(String(format: "%.0f", extrapolated / max(best, 1e-9)))x")
print("ratio naive / engine, measured on the small history: \(String(format: "%.0f", naive / max(fastSmall, 1e-9)))x")
