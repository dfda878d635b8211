/// A verified delivery on its way to the shard that owns its repository: GitHub's raw body and headers, unchanged,
/// so that the owner verifies GitHub's `X-Hub-Signature-256` as for any delivery and deduplicates on the same
/// `X-GitHub-Delivery`.
public struct ForwardedDelivery: Sendable, Hashable {
    /// The owning shard's ordinal.
    public var shard: Int
    /// `X-GitHub-Event` as received.
    public var event: String?
    /// `X-GitHub-Delivery`.
    public var delivery: String
    /// `X-Hub-Signature-256` as received.
    public var signature: String?
    /// The raw body the signature covers.
    public var body: [UInt8]

    public init(shard: Int, event: String?, delivery: String, signature: String?, body: [UInt8]) {
        self.shard = shard
        self.event = event
        self.delivery = delivery
        self.signature = signature
        self.body = body
    }

    /// The header naming the shard a delivery was forwarded from: a delivery carrying it is never forwarded again,
    /// so shards whose configurations disagree for a moment (a rollout) cannot bounce one between them. It grants
    /// nothing: the signature is what the owner trusts.
    public static let forwardedFromHeader = "X-DevOps-Twin-Forwarded-From"
}

/// The `result` label of `devops_twin_webhook_forwarded_total`.
public enum ForwardResult: String, Sendable, Hashable, CaseIterable {
    /// The owner answered (2xx): it took the delivery (or knew it already).
    case ok
    /// The owner could not be reached at the first attempt: the delivery waits in the retry queue.
    case queued
    /// Given up: the retry queue was full, the retries were spent, or the owner refused it (4xx). The next
    /// scheduled sync (the reconciliation) brings the change.
    case failed
}
