import Foundation
import Sync
import Testing

@testable import Webhooks

@Suite struct CoalescingQueueTests {
    /// 50 pushes in a second are one commits sync.
    @Test func aBurstIsCoalescedIntoOneSync() async throws {
        let (receiver, queue, statistics, _) = try WebhookFixtures.receiver()
        for index in 0..<50 {
            let body = WebhookFixtures.payload([
                "ref": "refs/heads/main", "after": String(format: "%040x", index), "repository": WebhookFixtures.repository("demo/app"),
            ])
            #expect(receiver.receive(event: "push", delivery: "push-\(index)", signature: WebhookFixtures.signature(body), body: body).result == .accepted)
        }
        #expect(queue.depth == 1)
        #expect(statistics.snapshot.queueDepth == 1)
        let batch = try await queue.nextBatch(window: .zero)
        #expect(batch.map(\.route) == [WebhookRoute(repository: "demo/app", entities: [.commits])])
        #expect(batch[0].arrivals.count == 50)
        #expect(queue.depth == 0 && statistics.snapshot.queueDepth == 0)
    }

    @Test func entitiesOfARepositoryAreUnitedAndRepositoriesKeepTheirOrder() {
        let queue = CoalescingQueue()
        let now = ContinuousClock.now
        queue.enqueue(WebhookRoute(repository: "demo/ops", entities: [.deployments]), arrivedAt: now)
        queue.enqueue(WebhookRoute(repository: "demo/app", entities: [.issues]), arrivedAt: now)
        queue.enqueue(WebhookRoute(repository: "demo/ops", entities: [.commits]), arrivedAt: now)
        queue.enqueue(WebhookRoute(repository: "DEMO/OPS", entities: [.commits]), arrivedAt: now)
        #expect(queue.depth == 3)
        #expect(
            queue.drain().map(\.route) == [
                WebhookRoute(repository: "demo/ops", entities: [.deployments, .commits]),
                WebhookRoute(repository: "demo/app", entities: [.issues]),
            ])
    }

    /// The worker waits for work (no polling): a batch is handed over when a delivery arrives.
    @Test func theWorkerWaitsForADelivery() async throws {
        let queue = CoalescingQueue()
        async let batch = queue.nextBatch(window: .milliseconds(10))
        queue.enqueue(WebhookRoute(repository: "demo/app", entities: [.releases, .tags]), arrivedAt: .now)
        #expect(try await batch.map(\.route.repository) == ["demo/app"])
    }

    @Test func aWaitingWorkerStopsWhenCancelled() async {
        let queue = CoalescingQueue()
        let task = Task { try await queue.nextBatch(window: .zero) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func arrivalsKeptPerItemAreBounded() {
        let queue = CoalescingQueue()
        for _ in 0..<(CoalescingQueue.maxArrivals + 500) {
            queue.enqueue(WebhookRoute(repository: "demo/app", entities: [.commits]), arrivedAt: .now)
        }
        #expect(queue.drain().first?.arrivals.count == CoalescingQueue.maxArrivals)
    }
}
