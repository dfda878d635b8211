import Crypto
import Foundation
import Logging

/// Handles one delivery, in GitHub's order of trust: the signature over the raw body first (nothing is parsed
/// before it), then the delivery id (duplicates are answered and dropped), then the few payload fields that say
/// which repository and entity changed. Work is queued, never done here, so GitHub gets its answer at once.
public struct WebhookReceiver: Sendable {
    /// The HTTP answer and what was done.
    public struct Answer: Sendable, Hashable {
        public var status: Int
        public var message: String
        public var result: DeliveryResult
    }

    let key: SymmetricKey
    /// The router of the repositories in force (discovery changes them).
    let router: @Sendable () -> WebhookRouter
    let deduplicator: DeliveryDeduplicator
    let queue: CoalescingQueue
    let statistics: WebhookStatistics
    let onRepositorySetChange: @Sendable (RepositorySetChange) -> Void
    let logger: Logger
    let clock = ContinuousClock()
    /// With several shards: which other shards a delivery concerns (asked per delivery), and who sends it there.
    var sharding: (@Sendable () -> ShardRouting)?
    var forwarder: DeliveryForwarder?

    /// - Parameter onRepositorySetChange: an App installation gained or lost repositories (repository discovery
    ///   hooks in here); called on the receiving task, so it must return quickly.
    public init(
        secret: String, router: WebhookRouter, queue: CoalescingQueue, statistics: WebhookStatistics,
        deduplicator: DeliveryDeduplicator = DeliveryDeduplicator(), logger: Logger,
        onRepositorySetChange: @escaping @Sendable (RepositorySetChange) -> Void = { _ in }
    ) {
        self.init(
            secret: secret, routerProvider: { router }, queue: queue, statistics: statistics, deduplicator: deduplicator,
            logger: logger, onRepositorySetChange: onRepositorySetChange)
    }

    /// A receiver whose repositories change (discovered organisations): `routerProvider` is asked per delivery.
    public init(
        secret: String, routerProvider: @escaping @Sendable () -> WebhookRouter, queue: CoalescingQueue,
        statistics: WebhookStatistics, deduplicator: DeliveryDeduplicator = DeliveryDeduplicator(), logger: Logger,
        onRepositorySetChange: @escaping @Sendable (RepositorySetChange) -> Void = { _ in }
    ) {
        self.key = WebhookSignature.key(secret)
        self.router = routerProvider
        self.queue = queue
        self.statistics = statistics
        self.deduplicator = deduplicator
        self.logger = logger
        self.onRepositorySetChange = onRepositorySetChange
    }

    /// This receiver, also forwarding each delivery to the other shards it concerns (`routing` is asked per
    /// delivery, as the repositories change with discovery): a repository another shard owns is synced there.
    public func forwarding(to forwarder: DeliveryForwarder, routing: @escaping @Sendable () -> ShardRouting) -> WebhookReceiver {
        var copy = self
        copy.forwarder = forwarder
        copy.sharding = routing
        return copy
    }

    /// Handles a delivery with headers `X-GitHub-Event`, `X-GitHub-Delivery`, `X-Hub-Signature-256` and `body`.
    /// `forwardedFrom` is the `X-DevOps-Twin-Forwarded-From` header: such a delivery is never forwarded again.
    public func receive(
        event eventHeader: String?, delivery: String?, signature: String?, body: [UInt8], forwardedFrom: String? = nil
    ) -> Answer {
        let event = WebhookEvent(header: eventHeader)
        if let failure = WebhookSignature.verify(body: body, header: signature, secret: key) {
            let refused = statistics.recordSignatureFailure(failure)
            // The first refusal says what to fix; a flood of forgeries logs one line per thousand (the metric counts all).
            let metadata: Logger.Metadata = ["reason": "\(failure.rawValue)", "event": "\(event.rawValue)", "refusedSoFar": "\(refused)"]
            if refused == 1 || refused % 1000 == 0 {
                logger.warning("webhook delivery refused: bad signature (\(Self.explain(failure)))", metadata: metadata)
            } else {
                logger.debug("webhook delivery refused: bad signature", metadata: metadata)
            }
            return answer(event, .badSignature, 401, Self.explain(failure))
        }
        guard let delivery = delivery?.trimmingCharacters(in: .whitespaces), !delivery.isEmpty, delivery.utf8.count <= 100 else {
            return answer(event, .invalid, 400, "missing or invalid X-GitHub-Delivery header")
        }
        let payload: WebhookPayload
        do {
            payload = try JSONDecoder().decode(WebhookPayload.self, from: Data(body))
        } catch {
            return answer(event, .invalid, 400, "the body is not a GitHub webhook payload (JSON object); set the webhook's content type to application/json")
        }
        guard deduplicator.isFirst(delivery) else {
            return answer(event, .duplicate, 200, "delivery \(delivery) was already received; ignored")
        }
        var metadata: Logger.Metadata = ["event": "\(event.rawValue)", "delivery": "\(delivery)"]
        if let forwardedFrom { metadata["forwardedFrom"] = "\(forwardedFrom.prefix(8))" }
        let peers = forwardedFrom == nil ? sharding?().peers(event: event, payload: payload) ?? [] : []
        if let forwarder, !peers.isEmpty {
            let dropped = peers.filter { peer in
                !forwarder.forward(ForwardedDelivery(shard: peer, event: eventHeader, delivery: delivery, signature: signature, body: body))
            }
            // Not handed on (counted `failed`): a redelivery from GitHub's hook page must be acted on, not dropped as a duplicate.
            if !dropped.isEmpty { deduplicator.forget(delivery) }
            metadata["forwardedTo"] = "\(peers)"
        }
        switch router().action(event: event, payload: payload) {
        case .ping:
            logger.info("webhook ping received", metadata: metadata)
            return answer(event, .ping, 200, "pong")
        case .sync(let routes):
            let arrived = clock.now
            for route in routes {
                queue.enqueue(route, arrivedAt: arrived)
                statistics.recordAccepted(repository: route.repository)
            }
            metadata["repositories"] = "\(routes.map(\.repository))"
            metadata["entities"] = "\(Set(routes.flatMap(\.entities)).sorted().map(\.rawValue))"
            logger.debug("webhook delivery queued", metadata: metadata)
            return answer(event, .accepted, 202, "queued")
        case .repositorySetChanged(let change):
            metadata["action"] = "\(change.action)"
            metadata["added"] = "\(change.added)"
            metadata["removed"] = "\(change.removed)"
            logger.info("app installation changed its repositories", metadata: metadata)
            onRepositorySetChange(change)
            return answer(event, .accepted, 202, "accepted")
        case .ignored where !peers.isEmpty, .unknownRepository where !peers.isEmpty:
            logger.debug("webhook delivery forwarded to the shard owning its repository", metadata: metadata)
            return answer(event, .forwarded, 202, "forwarded to shard \(peers.map(String.init).joined(separator: ", "))")
        case .ignored(let reason):
            logger.debug("webhook delivery ignored", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
            return answer(event, .ignored, 200, "ignored: \(reason)")
        case .unknownRepository(let name):
            logger.info(
                "webhook delivery for a repository that is not configured; ignored",
                metadata: metadata.merging(["repository": "\(name)"]) { $1 })
            return answer(event, .unknownRepository, 200, "ignored: \(name) is not a configured repository")
        }
    }

    /// Counts a delivery refused for its size (the server checks it before reading the body).
    public func refuseTooLarge(event eventHeader: String?, maxBytes: Int) -> Answer {
        answer(
            WebhookEvent(header: eventHeader), .tooLarge, 413,
            "delivery larger than webhooks.maxBodyBytes (\(maxBytes) bytes); the scheduled sync brings its changes")
    }

    private func answer(_ event: WebhookEvent, _ result: DeliveryResult, _ status: Int, _ message: String) -> Answer {
        statistics.record(event, result)
        return Answer(status: status, message: message, result: result)
    }

    /// What the sender should check; never says anything about the expected value.
    static func explain(_ failure: WebhookSignature.Failure) -> String {
        switch failure {
        case .missing: "missing X-Hub-Signature-256: set a secret on the webhook"
        case .wrongAlgorithm: "X-Hub-Signature-256 must start with sha256="
        case .malformed: "X-Hub-Signature-256 is not sha256= and 64 hex digits"
        case .mismatch: "signature does not match: the webhook's secret differs from devops-twin's, or the body was changed"
        }
    }
}
