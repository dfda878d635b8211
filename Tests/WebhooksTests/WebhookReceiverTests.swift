import Foundation
import Sync
import Testing

@testable import Webhooks

@Suite struct WebhookReceiverTests {
    @Test func aSignedPushIsQueuedAndCounted() throws {
        let (receiver, queue, statistics, _) = try WebhookFixtures.receiver()
        let body = WebhookFixtures.push("demo/app", ref: "refs/heads/main")
        let answer = receiver.receive(event: "push", delivery: "d-1", signature: WebhookFixtures.signature(body), body: body)
        #expect(answer.status == 202 && answer.result == .accepted)
        #expect(queue.drain().map(\.route) == [WebhookRoute(repository: "demo/app", entities: [.commits])])
        #expect(statistics.snapshot.deliveries[.push]?[.accepted] == 1)
        #expect(statistics.snapshot.acceptedByRepository == ["demo/app": 1])
    }

    @Test func aBadSignatureIsRefusedCountedAndNeverActedOn() throws {
        let (receiver, queue, statistics, _) = try WebhookFixtures.receiver()
        let body = WebhookFixtures.push("demo/app", ref: "refs/heads/main")
        let cases: [(String?, WebhookSignature.Failure)] = [
            (WebhookFixtures.signature(body, secret: "wrong"), .mismatch),
            (nil, .missing),
            ("sha1=" + String(repeating: "0", count: 40), .wrongAlgorithm),
            ("sha256=zz", .malformed),
        ]
        for (index, (signature, reason)) in cases.enumerated() {
            let answer = receiver.receive(event: "push", delivery: "bad-\(index)", signature: signature, body: body)
            #expect(answer.status == 401 && answer.result == .badSignature)
            #expect(statistics.snapshot.signatureFailures[reason] == 1)
        }
        #expect(queue.depth == 0)
        #expect(statistics.snapshot.deliveries[.push]?[.badSignature] == 4)
        // A refused delivery does not use up its id: the genuine one with the same id is still acted on.
        let genuine = receiver.receive(event: "push", delivery: "bad-0", signature: WebhookFixtures.signature(body), body: body)
        #expect(genuine.result == .accepted)
    }

    @Test func aBodyChangedAfterSigningIsRefused() throws {
        let (receiver, queue, _, _) = try WebhookFixtures.receiver()
        let body = WebhookFixtures.push("demo/app", ref: "refs/heads/main")
        var changed = body
        changed[changed.count - 2] ^= 0x01
        let answer = receiver.receive(event: "push", delivery: "d-1", signature: WebhookFixtures.signature(body), body: changed)
        #expect(answer.status == 401)
        #expect(queue.depth == 0)
    }

    @Test func aDuplicateDeliveryIsAnsweredAndDropped() throws {
        let (receiver, queue, statistics, _) = try WebhookFixtures.receiver()
        let body = WebhookFixtures.payload(["action": "opened", "repository": WebhookFixtures.repository("demo/app")])
        let signature = WebhookFixtures.signature(body)
        let first = receiver.receive(event: "issues", delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958", signature: signature, body: body)
        let again = receiver.receive(event: "issues", delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958", signature: signature, body: body)
        #expect(first.result == .accepted)
        #expect(again.status == 200 && again.result == .duplicate)
        let items = queue.drain()
        #expect(items.count == 1 && items[0].arrivals.count == 1)
        #expect(statistics.snapshot.deliveries[.issues] == [.accepted: 1, .duplicate: 1])
    }

    @Test func anEventForAnUnknownRepositoryIsCountedAndIgnored() throws {
        let (receiver, queue, statistics, _) = try WebhookFixtures.receiver()
        let body = WebhookFixtures.payload(["action": "completed", "repository": WebhookFixtures.repository("someone/else")])
        let answer = receiver.receive(event: "workflow_run", delivery: "d-1", signature: WebhookFixtures.signature(body), body: body)
        #expect(answer.status == 200 && answer.result == .unknownRepository)
        #expect(answer.message.contains("someone/else"))
        #expect(queue.depth == 0)
        #expect(statistics.snapshot.deliveries[.workflowRun]?[.unknownRepository] == 1)
        #expect(statistics.snapshot.acceptedByRepository.isEmpty)
    }

    @Test func pingAndInstallationEvents() throws {
        let (receiver, queue, statistics, changes) = try WebhookFixtures.receiver()
        let ping = WebhookFixtures.payload(["zen": "Design for failure.", "hook_id": 7])
        #expect(receiver.receive(event: "ping", delivery: "p", signature: WebhookFixtures.signature(ping), body: ping).status == 200)
        let added = WebhookFixtures.payload([
            "action": "added", "installation": ["id": 9], "repositories_added": [["full_name": "acme/new"]], "repositories_removed": [],
        ])
        let answer = receiver.receive(
            event: "installation_repositories", delivery: "i", signature: WebhookFixtures.signature(added), body: added)
        #expect(answer.result == .accepted)
        #expect(changes.values.map(\.added) == [["acme/new"]])
        #expect(queue.depth == 0)
        #expect(statistics.snapshot.deliveries[.ping]?[.ping] == 1)
        #expect(statistics.snapshot.deliveries[.installationRepositories]?[.accepted] == 1)
    }

    @Test func aSignedBodyThatIsNotJSONOrHasNoDeliveryIdIsInvalid() throws {
        let (receiver, _, statistics, _) = try WebhookFixtures.receiver()
        let form = Array("payload=%7B%7D".utf8)
        #expect(receiver.receive(event: "push", delivery: "f", signature: WebhookFixtures.signature(form), body: form).status == 400)
        let body = WebhookFixtures.push("demo/app", ref: "refs/heads/main")
        #expect(receiver.receive(event: "push", delivery: nil, signature: WebhookFixtures.signature(body), body: body).status == 400)
        #expect(statistics.snapshot.deliveries[.push]?[.invalid] == 2)
    }

    @Test func theDeduplicatorForgetsTheOldestBeyondItsCapacity() {
        let deduplicator = DeliveryDeduplicator(capacity: 3)
        #expect(["a", "b", "c"].allSatisfy { deduplicator.isFirst($0) })
        #expect(!deduplicator.isFirst("a"))
        #expect(deduplicator.isFirst("d"))  // forgets "a"
        #expect(deduplicator.isFirst("a"))  // forgets "b"
        #expect(!deduplicator.isFirst("c") && !deduplicator.isFirst("d"))
        #expect(deduplicator.isFirst("b"))
    }
}
