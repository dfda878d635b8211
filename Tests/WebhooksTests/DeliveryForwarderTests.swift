import Backoff
import Logging
import Synchronization
import Testing

@testable import Webhooks

/// The retry queue on its own: a transport scripted per attempt, and a sleep that records its waits instead of
/// sleeping.
@Suite struct DeliveryForwarderTests {
    final class Script: Sendable {
        private let state: Mutex<(outcomes: [DeliveryForwarder.Outcome], attempts: Int, waits: [Duration])>
        init(_ outcomes: [DeliveryForwarder.Outcome]) { state = Mutex((outcomes, 0, [])) }
        func next() -> DeliveryForwarder.Outcome {
            state.withLock { state in
                state.attempts += 1
                return state.outcomes.isEmpty ? .unreachable(reason: "connection refused") : state.outcomes.removeFirst()
            }
        }
        func wait(_ duration: Duration) { state.withLock { $0.waits.append(duration) } }
        var attempts: Int { state.withLock { $0.attempts } }
        var waits: [Duration] { state.withLock { $0.waits } }
    }

    static let delivery = ForwardedDelivery(shard: 2, event: "push", delivery: "d-1", signature: "sha256=00", body: Array("{}".utf8))
    static let backoff = BackoffPolicy(initial: .milliseconds(500), maximum: .seconds(4), maxRetries: 5)

    static func forwarder(_ script: Script, capacity: Int = 10, maxBytes: Int = 1_000) -> (DeliveryForwarder, WebhookStatistics) {
        let statistics = WebhookStatistics()
        let forwarder = DeliveryForwarder(
            transport: { _ in script.next() }, statistics: statistics, logger: Logger(label: "test"), backoff: backoff,
            capacity: capacity, maxBytes: maxBytes, sleep: { script.wait($0) })
        return (forwarder, statistics)
    }

    @Test func anOwnerThatIsDownAtFirstGetsTheDeliveryWhenItComesUp() async {
        let script = Script([.unreachable(reason: "connection refused"), .unreachable(reason: "connection refused"), .delivered])
        let (forwarder, statistics) = Self.forwarder(script)
        #expect(forwarder.forward(Self.delivery))
        await forwarder.send(Self.delivery)
        #expect(script.attempts == 3)
        #expect(script.waits == [.milliseconds(500), .seconds(1)])
        #expect(statistics.snapshot.forwarded == [.queued: 1, .ok: 1])
    }

    @Test func anOwnerThatStaysDownCountsAsFailedAfterTheLastRetry() async {
        let script = Script([])
        let (forwarder, statistics) = Self.forwarder(script)
        await forwarder.send(Self.delivery)
        #expect(script.attempts == 6)
        #expect(script.waits == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4)])
        #expect(statistics.snapshot.forwarded == [.queued: 1, .failed: 1])
    }

    @Test func aRefusalIsNotRetried() async {
        let script = Script([.refused(status: 401)])
        let (forwarder, statistics) = Self.forwarder(script)
        await forwarder.send(Self.delivery)
        #expect(script.attempts == 1 && script.waits.isEmpty)
        #expect(statistics.snapshot.forwarded == [.failed: 1])
    }

    @Test func theQueueIsBoundedInDeliveriesAndBytesAndCountsWhatItDrops() async {
        let (forwarder, statistics) = Self.forwarder(Script([.delivered]), capacity: 2, maxBytes: 1_000)
        #expect(forwarder.forward(Self.delivery))
        #expect(forwarder.forward(Self.delivery))
        #expect(!forwarder.forward(Self.delivery))
        #expect(forwarder.depth == 2)
        let (small, smallStatistics) = Self.forwarder(Script([]), capacity: 10, maxBytes: 3)
        #expect(small.forward(Self.delivery))
        #expect(!small.forward(Self.delivery))
        #expect(statistics.snapshot.forwarded == [.failed: 1])
        #expect(smallStatistics.snapshot.forwarded == [.failed: 1])
    }

    @Test func runSendsWhatIsQueuedAndFreesItsPlace() async throws {
        let script = Script([.delivered, .delivered])
        let (forwarder, statistics) = Self.forwarder(script, capacity: 1)
        #expect(forwarder.forward(Self.delivery))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await forwarder.run() }
            forwarder.finish()
            try await group.waitForAll()
        }
        #expect(statistics.snapshot.forwarded == [.ok: 1])
        #expect(forwarder.depth == 0)
    }
}
