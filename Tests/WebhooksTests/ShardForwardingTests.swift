import Foundation
import Logging
import Synchronization
import Testing
import TwinConfig

@testable import Webhooks

/// Four shards' receivers in memory, each forwarding through a transport that hands the delivery to the owner's
/// receiver as the owner's HTTP listener would (headers and raw body unchanged, plus the forwarded-from header).
@Suite struct ShardForwardingTests {
    static let total = 4
    static let names = (0..<12).map { "acme/svc-\($0)" }

    struct Shard {
        let configuration: TwinConfiguration
        let receiver: WebhookReceiver
        let queue: CoalescingQueue
        let statistics: WebhookStatistics
        let changes: ChangeLog
        let forwarder: DeliveryForwarder
    }

    /// Counts handed-over deliveries so a test waits for exactly the ones it expects, with no sleep.
    final class Handovers: Sendable {
        let stream: AsyncStream<Int>
        let continuation: AsyncStream<Int>.Continuation
        init() { (stream, continuation) = AsyncStream.makeStream(of: Int.self) }
        func wait(for count: Int) async {
            var seen = 0
            for await _ in stream {
                seen += 1
                if seen == count { return }
            }
        }
    }

    static func configuration() throws -> TwinConfiguration {
        let json = """
            {"repositories": [\(names.map { "{\"name\": \"\($0)\"}" }.joined(separator: ","))],
             "groups": [{"name": "payments", "repositories": ["acme/svc-1", "acme/svc-2", "acme/svc-3"]}]}
            """
        return try ConfigLoader(environment: [:]).load(data: Data(json.utf8), origin: "test").configuration
    }

    /// The shards `0 ..< total` (and a surplus one when `surplus`), wired to one another through `handovers`.
    static func shards(handovers: Handovers, surplus: Bool = false) throws -> [Shard] {
        let loaded = try configuration()
        let receivers = Mutex<[WebhookReceiver]>([])
        let transport: DeliveryForwarder.Transport = { delivery in
            let owner = receivers.withLock { $0[delivery.shard] }
            let answer = owner.receive(
                event: delivery.event, delivery: delivery.delivery, signature: delivery.signature, body: delivery.body,
                forwardedFrom: "test")
            handovers.continuation.yield(delivery.shard)
            return answer.status < 300 ? .delivered : .refused(status: answer.status)
        }
        let shards = (0..<(total + (surplus ? 1 : 0))).map { index in
            let configuration = loaded.restricted(to: ShardAssignment(index: index, total: total))
            let statistics = WebhookStatistics()
            let queue = CoalescingQueue()
            let changes = ChangeLog()
            let forwarder = DeliveryForwarder(transport: transport, statistics: statistics, logger: Logger(label: "test"))
            let receiver = WebhookReceiver(
                secret: WebhookFixtures.secret, router: WebhookRouter(repositories: configuration.repositories), queue: queue,
                statistics: statistics, logger: Logger(label: "test"), onRepositorySetChange: { changes.append($0) }
            ).forwarding(to: forwarder) {
                ShardRouting(
                    ownShard: index, totalShards: total, repositories: configuration.allRepositories,
                    owner: { configuration.owningShard(of: $0) })
            }
            return Shard(configuration: configuration, receiver: receiver, queue: queue, statistics: statistics, changes: changes, forwarder: forwarder)
        }
        receivers.withLock { $0 = shards.map(\.receiver) }
        return shards
    }

    /// Runs every shard's forwarder while `body` runs.
    static func running(_ shards: [Shard], _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for shard in shards { group.addTask { try await shard.forwarder.run() } }
            try await body()
            group.cancelAll()
        }
    }

    static func owner(of repository: String, in shards: [Shard]) throws -> Int {
        try #require(shards.firstIndex { $0.configuration.repositories.contains { $0.name == repository } })
    }

    @Test func everyDeliveryToShardZeroReachesTheShardOwningItsRepository() async throws {
        let handovers = Handovers()
        let shards = try Self.shards(handovers: handovers)
        let foreign = try Self.names.filter { try Self.owner(of: $0, in: shards) != 0 }
        #expect(!foreign.isEmpty && foreign.count < Self.names.count)
        try await Self.running(shards) {
            for (index, name) in Self.names.enumerated() {
                let body = WebhookFixtures.push(name, ref: "refs/heads/main")
                let answer = shards[0].receiver.receive(
                    event: "push", delivery: "d-\(index)", signature: WebhookFixtures.signature(body), body: body)
                let owned = try Self.owner(of: name, in: shards) == 0
                #expect(answer.status == 202 && answer.result == (owned ? .accepted : .forwarded), "\(name)")
            }
            await handovers.wait(for: foreign.count)
        }
        let queued = shards.map { Set($0.queue.drain().map(\.route.repository)) }
        for name in Self.names {
            let owner = try Self.owner(of: name, in: shards)
            #expect(queued.indices.filter { queued[$0].contains(name) } == [owner], "\(name): owner \(owner)")
        }
        #expect(shards[0].statistics.snapshot.forwarded == [.ok: foreign.count])
        #expect(shards[0].statistics.snapshot.deliveries[.push]?[.forwarded] == foreign.count)
        let acceptedByOwners = shards.dropFirst().map { $0.statistics.snapshot.deliveries[.push]?[.accepted] ?? 0 }.reduce(0, +)
        #expect(acceptedByOwners == foreign.count)
    }

    @Test func anUnknownRepositoryIsCountedWhereItArrivedAndForwardedNowhere() async throws {
        let handovers = Handovers()
        let shards = try Self.shards(handovers: handovers)
        let body = WebhookFixtures.push("someone/else", ref: "refs/heads/main")
        let answer = shards[2].receiver.receive(event: "push", delivery: "u", signature: WebhookFixtures.signature(body), body: body)
        #expect(answer.result == .unknownRepository)
        #expect(shards[2].forwarder.depth == 0)
        #expect(shards[2].statistics.snapshot.forwarded.isEmpty)
        // An untracked branch of another shard's repository is ignored here too, not forwarded to be ignored there.
        let foreign = try #require(Self.names.first { try Self.owner(of: $0, in: shards) != 2 })
        let branch = WebhookFixtures.push(foreign, ref: "refs/heads/feature")
        let ignored = shards[2].receiver.receive(event: "push", delivery: "b", signature: WebhookFixtures.signature(branch), body: branch)
        #expect(ignored.result == .unknownRepository || ignored.result == .ignored)
        #expect(shards[2].forwarder.depth == 0)
    }

    @Test func aForwardedDeliveryIsNeverForwardedAgain() throws {
        let shards = try Self.shards(handovers: Handovers())
        let foreign = try #require(Self.names.first { try Self.owner(of: $0, in: shards) != 0 })
        let body = WebhookFixtures.push(foreign, ref: "refs/heads/main")
        let answer = shards[0].receiver.receive(
            event: "push", delivery: "f", signature: WebhookFixtures.signature(body), body: body, forwardedFrom: "3")
        #expect(answer.result == .unknownRepository)
        #expect(shards[0].forwarder.depth == 0)
    }

    @Test func installationEventsReachEveryShard() async throws {
        let handovers = Handovers()
        let shards = try Self.shards(handovers: handovers)
        let added = WebhookFixtures.payload([
            "action": "added", "installation": ["id": 9], "repositories_added": [["full_name": "acme/new"]], "repositories_removed": [],
        ])
        try await Self.running(shards) {
            let answer = shards[1].receiver.receive(
                event: "installation_repositories", delivery: "i", signature: WebhookFixtures.signature(added), body: added)
            #expect(answer.status == 202 && answer.result == .accepted)
            await handovers.wait(for: Self.total - 1)
        }
        for shard in shards {
            #expect(shard.changes.values.map(\.added) == [["acme/new"]])
        }
        #expect(shards[1].statistics.snapshot.forwarded == [.ok: Self.total - 1])
    }

    @Test func aSurplusShardOwnsNothingAndForwardsEverything() async throws {
        let handovers = Handovers()
        let shards = try Self.shards(handovers: handovers, surplus: true)
        let surplus = try #require(shards.last)
        #expect(surplus.configuration.repositories.isEmpty && surplus.configuration.shard.isSurplus)
        try await Self.running(shards) {
            for (index, name) in Self.names.enumerated() {
                let body = WebhookFixtures.push(name, ref: "refs/heads/main")
                let answer = surplus.receiver.receive(event: "push", delivery: "s-\(index)", signature: WebhookFixtures.signature(body), body: body)
                #expect(answer.result == .forwarded)
            }
            await handovers.wait(for: Self.names.count)
        }
        #expect(surplus.statistics.snapshot.forwarded == [.ok: Self.names.count])
        let accepted = shards.dropLast().map { $0.statistics.snapshot.acceptedByRepository.values.reduce(0, +) }.reduce(0, +)
        #expect(accepted == Self.names.count)
    }

    @Test func aDeliveryTheFullQueueDropsIsCountedAndCanBeRedelivered() throws {
        let configuration = try Self.configuration().restricted(to: ShardAssignment(index: 0, total: Self.total))
        let statistics = WebhookStatistics()
        // Room for nothing: every delivery is larger than the queue's byte bound.
        let forwarder = DeliveryForwarder(
            transport: { _ in .delivered }, statistics: statistics, logger: Logger(label: "test"), maxBytes: 1)
        let receiver = WebhookReceiver(
            secret: WebhookFixtures.secret, router: WebhookRouter(repositories: configuration.repositories), queue: CoalescingQueue(),
            statistics: statistics, logger: Logger(label: "test")
        ).forwarding(to: forwarder) {
            ShardRouting(
                ownShard: 0, totalShards: Self.total, repositories: configuration.allRepositories,
                owner: { configuration.owningShard(of: $0) })
        }
        let foreign = try #require(Self.names.first { configuration.owningShard(of: $0) != 0 })
        let body = WebhookFixtures.push(foreign, ref: "refs/heads/main")
        for _ in 0..<2 {
            let answer = receiver.receive(event: "push", delivery: "full", signature: WebhookFixtures.signature(body), body: body)
            #expect(answer.result == .forwarded)
        }
        #expect(statistics.snapshot.forwarded == [.failed: 2])
        #expect(statistics.snapshot.deliveries[.push]?[.duplicate] == nil)
    }
}
