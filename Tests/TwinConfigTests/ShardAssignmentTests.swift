import Foundation
import Testing

@testable import TwinConfig

@Suite struct ShardAssignmentTests {
    static let repositories = (0..<200).map { "acme/repo-\($0)" }
    static let groups = [
        GroupSettings(name: "payments", patterns: [], repositories: ["acme/repo-1", "acme/repo-2", "acme/repo-3"]),
        GroupSettings(name: "ledger", patterns: [], repositories: ["acme/repo-3", "acme/repo-40"]),  // shares repo-3
        GroupSettings(name: "web", patterns: [], repositories: ["acme/repo-100", "acme/repo-101"]),
    ]

    static func configuration() -> TwinConfiguration {
        TwinConfiguration(
            repositories: repositories.map {
                RepositorySettings(name: $0, sources: DataSources(all: $0), branch: "main", since: nil, definitions: .init())
            }, groups: groups)
    }

    @Test func groupsThatShareARepositoryFormOneUnit() {
        let units = ShardAssignment.units(repositories: Self.repositories, groups: Self.groups)
        #expect(units.count == 200 - 3 - 1)
        #expect(units.contains(["acme/repo-1", "acme/repo-2", "acme/repo-3", "acme/repo-40"]))
        #expect(units.contains(["acme/repo-100", "acme/repo-101"]))
        #expect(units.contains(["acme/repo-0"]))
    }

    @Test(arguments: [2, 3, 4, 7])
    func everyRepositoryIsOnExactlyOneShardAndEveryGroupWhole(total: Int) {
        let configuration = Self.configuration()
        let shards = (0..<total).map { configuration.restricted(to: ShardAssignment(index: $0, total: total)) }
        let assigned = shards.flatMap { $0.repositories.map(\.name) }
        #expect(assigned.count == 200 && Set(assigned) == Set(Self.repositories), "a partition: no repository twice, none lost")
        #expect(shards.flatMap { $0.groups.map(\.name) }.sorted() == ["ledger", "payments", "web"], "every group on one shard")
        for shard in shards {
            let names = Set(shard.repositories.map(\.name))
            #expect(shard.groups.allSatisfy { $0.repositories.allSatisfy(names.contains) })
            #expect(shard.repositories.count > 200 / total / 2, "roughly even: \(shard.repositories.count) of 200 on \(total) shards")
        }
    }

    @Test func theAssignmentDependsOnNamesNotOnTheConfigurationOrder() {
        let forward = ShardAssignment.units(repositories: Self.repositories, groups: Self.groups)
            .map { ShardAssignment.shard(of: $0, total: 4) }
        let backward = ShardAssignment.units(repositories: Self.repositories.reversed(), groups: Self.groups)
        for unit in backward {
            let same = ShardAssignment.units(repositories: Self.repositories, groups: Self.groups).firstIndex { Set($0) == Set(unit) }!
            #expect(ShardAssignment.shard(of: unit, total: 4) == forward[same])
        }
        // Pinned (computed independently in Python): a change of hash would move every repository of every installation.
        #expect(ShardAssignment.shard(of: ["acme/repo-0"], total: 4) == ShardAssignment.shard(of: ["ACME/Repo-0"], total: 4))
        #expect((0..<8).map { ShardAssignment.shard(of: ["acme/repo-\($0)"], total: 4) } == [1, 3, 2, 0, 1, 2, 0, 3])
    }

    @Test(arguments: [("devops-twin-0", 0), ("devops-twin-12", 12), ("my-app-twin-3", 3)] as [(String, Int)])
    func theOrdinalOfAStatefulSetPod(name: String, ordinal: Int) {
        #expect(ShardAssignment.ordinal(fromPodName: name) == ordinal)
    }

    @Test func aNameWithoutOrdinalHasNone() {
        #expect(ShardAssignment.ordinal(fromPodName: "laptop") == nil)
        #expect(ShardAssignment.ordinal(fromPodName: "devops-twin-x") == nil)
    }

    @Test func oneShardIsTheWholeConfiguration() {
        let configuration = Self.configuration()
        #expect(configuration.restricted(to: ShardAssignment(index: 0, total: 1)).repositories.count == 200)
    }

    @Test func theAssignmentComesFromOptionsThenEnvironmentThenThePodName() throws {
        #expect(try ShardAssignment.resolve(shard: nil, totalShards: nil, environment: ["HOSTNAME": "devops-twin-3"]) == .init(index: 0, total: 1))
        #expect(try ShardAssignment.resolve(shard: 1, totalShards: 4, environment: ["DEVOPS_TWIN_SHARD": "2"]) == .init(index: 1, total: 4))
        #expect(
            try ShardAssignment.resolve(shard: nil, totalShards: nil, environment: ["DEVOPS_TWIN_SHARD": "2", "DEVOPS_TWIN_TOTAL_SHARDS": "4"])
                == .init(index: 2, total: 4))
        #expect(
            try ShardAssignment.resolve(shard: nil, totalShards: 4, environment: ["POD_NAME": "devops-twin-3", "HOSTNAME": "node-1"])
                == .init(index: 3, total: 4))
    }

    @Test(arguments: [
        (nil, 4, ["HOSTNAME": "laptop"], "--shard"), (4, 4, [:], "--shard"), (nil, 0, [:], "--total-shards"),
        (nil, nil, ["DEVOPS_TWIN_TOTAL_SHARDS": "four"], "DEVOPS_TWIN_TOTAL_SHARDS"),
    ] as [(Int?, Int?, [String: String], String)])
    func aBadAssignmentIsAClearError(shard: Int?, total: Int?, environment: [String: String], key: String) {
        #expect {
            try ShardAssignment.resolve(shard: shard, totalShards: total, environment: environment)
        } throws: { error in
            (error as? ConfigError)?.key == key
        }
    }

    /// A StatefulSet scaled past DEVOPS_TWIN_TOTAL_SHARDS: the daemon runs as a surplus shard that owns nothing
    /// (and serves its ordinal and total), the one-shot commands still refuse; a negative index never passes.
    @Test func anOrdinalBeyondTheTotalIsASurplusShardOnlyWhereAllowed() throws {
        let scaledUp = ["POD_NAME": "devops-twin-5", "DEVOPS_TWIN_TOTAL_SHARDS": "4"]
        #expect(throws: ConfigError.self) { try ShardAssignment.resolve(shard: nil, totalShards: nil, environment: scaledUp) }
        let surplus = try ShardAssignment.resolve(shard: nil, totalShards: nil, environment: scaledUp, allowingSurplus: true)
        #expect(surplus == .init(index: 5, total: 4) && surplus.isSurplus)
        #expect(throws: ConfigError.self) {
            try ShardAssignment.resolve(shard: -1, totalShards: 4, environment: [:], allowingSurplus: true)
        }
        let configuration = Self.configuration()
        let restricted = configuration.restricted(to: surplus)
        #expect(restricted.repositories.isEmpty && restricted.groups.isEmpty)
        #expect(restricted.shard == surplus)
        // It still knows every repository's owner, so a webhook delivery it receives can be forwarded.
        #expect(restricted.allRepositories.count == 200)
        #expect(configuration.repositories.allSatisfy { restricted.owningShard(of: $0.name).map { (0..<4).contains($0) } == true })
    }

    @Test(arguments: [2, 4])
    func everyShardKnowsEveryRepositorysOwner(total: Int) {
        let configuration = Self.configuration()
        let shards = (0..<total).map { configuration.restricted(to: ShardAssignment(index: $0, total: total)) }
        for repository in configuration.repositories {
            let owners = shards.map { $0.owningShard(of: repository.name.uppercased()) }
            let owner = owners[0]
            #expect(owner != nil && owners.allSatisfy { $0 == owner }, "\(repository.name)")
            #expect(owner.map { shards[$0].repositories.contains { $0.name == repository.name } } == true)
        }
        #expect(shards[0].owningShard(of: "nobody/nothing") == nil)
        #expect(configuration.owningShard(of: configuration.repositories[0].name) == 0)
    }
}
