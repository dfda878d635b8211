import Foundation
import Logging
import Synchronization
import TwinConfig
import Webhooks

/// A GitHub webhook delivery through `WebhookReceiver.receive`, the path of every request to
/// `POST /webhooks/github`: headers and body from the input, signed correctly or not as the input says.
/// Properties: the signature is accepted exactly when it is `sha256=` and the body's HMAC under the secret
/// (any case, blanks around); a refused delivery queues nothing; status and result agree; only configured
/// repositories are queued; a delivery that passed the duplicate check is a duplicate the second time; no
/// answer repeats the secret.
enum WebhookDeliveryHarness {
    static let harness = FuzzHarness(
        name: "webhook",
        summary: "webhook deliveries (event, delivery id, X-Hub-Signature-256, body) through WebhookReceiver",
        check: check)

    static let secret = "fuzz-webhook-secret-9c41"
    static let key = WebhookSignature.key(secret)

    /// The `X-GitHub-Event` values tried: every event the receiver knows, odd spellings, none.
    static let events: [String?] = WebhookEvent.allCases.map(\.rawValue) + ["PUSH", "Workflow_Run", "", "unknown", nil]

    /// `demo/app` (releases), `demo/ops` (GitHub Deployments, branch trunk), `demo/web` (issues from `demo/tracker`).
    static let repositories: [RepositorySettings] = {
        let json = """
            {"repositories": [
              {"name": "demo/app"},
              {"name": "demo/ops", "branch": "trunk", "deployments": {"source": "deployments"}},
              {"name": "demo/web", "sources": {"issues": "demo/tracker"}}
            ]}
            """
        // The text is fixed and valid: a failure here is a broken harness, found at once by its tests.
        return (try? ConfigLoader(environment: [:]).load(data: Data(json.utf8), origin: "fuzz").configuration.repositories) ?? []
    }()
    static let router = WebhookRouter(repositories: repositories)
    static let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

    static let statusOfResult: [DeliveryResult: Int] = [
        .accepted: 202, .ping: 200, .duplicate: 200, .ignored: 200, .unknownRepository: 200, .badSignature: 401,
        .tooLarge: 413, .invalid: 400,
    ]

    static func check(_ data: Data) throws(HarnessViolation) {
        var input = FuzzInput(data)
        let event = events[Int(input.byte()) % events.count]
        let mode = input.byte()
        let delivery = FuzzInput.text(input.field())
        let signatureText = FuzzInput.text(input.field())
        let body = input.rest()
        let signed = WebhookSignature.sign(body: body, secret: key)
        let signature: String? = switch mode % 5 {
        case 0: signed
        case 1: "  " + signed.uppercased() + " "
        case 2: signatureText
        case 3: nil
        default: String(signed.prefix(7)) + signatureText
        }

        let statistics = WebhookStatistics()
        let queue = CoalescingQueue()
        let changes = ChangeCount()
        let receiver = WebhookReceiver(
            secret: secret, router: router, queue: queue, statistics: statistics, logger: logger,
            onRepositorySetChange: { _ in changes.increment() })
        let answer = receiver.receive(event: event, delivery: delivery, signature: signature, body: body)

        let genuine = signature.map { $0.trimmingCharacters(in: .whitespaces).lowercased() == signed } ?? false
        guard genuine == (answer.result != .badSignature) else {
            throw HarnessViolation(
                "a signature is accepted exactly when it is the body's HMAC", "\(signature.debugDescription) -> \(answer.result)")
        }
        guard statusOfResult[answer.result] == answer.status else {
            throw HarnessViolation("status and result agree", "\(answer.status) with \(answer.result)")
        }
        guard !answer.message.contains(secret) else {
            throw HarnessViolation("no answer repeats the secret", answer.message)
        }
        let queued = queue.drain()
        if answer.result != .accepted, !queued.isEmpty || changes.value > 0 {
            throw HarnessViolation("only an accepted delivery queues work", "\(answer.result) queued \(queued.map(\.route))")
        }
        let configured = Set(repositories.map(\.name))
        if let stray = queued.first(where: { !configured.contains($0.route.repository) }) {
            throw HarnessViolation("only configured repositories are queued", stray.route.repository)
        }
        if answer.result == .accepted, queued.isEmpty, changes.value == 0 {
            throw HarnessViolation("an accepted delivery queues work", "\(event.debugDescription) \(FuzzInput.text(body).prefix(200))")
        }

        let again = receiver.receive(event: event, delivery: delivery, signature: signature, body: body)
        let passedDuplicateCheck: Set<DeliveryResult> = [.accepted, .ping, .ignored, .unknownRepository, .duplicate]
        if passedDuplicateCheck.contains(answer.result), again.result != .duplicate {
            throw HarnessViolation("a repeated delivery id is a duplicate", "first \(answer.result), then \(again.result)")
        }
        if !passedDuplicateCheck.contains(answer.result), again != answer {
            throw HarnessViolation("a refused delivery is refused again the same way", "first \(answer), then \(again)")
        }
        let counted = statistics.snapshot.deliveries.values.reduce(0) { $0 + $1.values.reduce(0, +) }
        guard counted == 2 else {
            throw HarnessViolation("every delivery is counted once", "\(counted) counted for 2 deliveries")
        }
    }
}

/// How many times the repository-set hook was called.
private final class ChangeCount: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
