/// The `X-GitHub-Event` values the receiver acts on, and the label every other value is counted under, so
/// the `event` label stays a short fixed list whatever a client sends.
public enum WebhookEvent: String, Sendable, Hashable, CaseIterable {
    case ping
    case push
    case create
    case delete
    case release
    case issues
    case label
    case workflowRun = "workflow_run"
    case deployment
    case deploymentStatus = "deployment_status"
    case repository
    case installation
    case installationRepositories = "installation_repositories"
    /// Any other event (or none): counted, never acted on.
    case other

    /// The event named by the header; `other` for anything not listed.
    public init(header: String?) {
        self = header.flatMap { WebhookEvent(rawValue: $0.lowercased()) } ?? .other
    }
}

/// The `result` label of `devops_twin_webhook_deliveries_total`: what the receiver did with a delivery.
public enum DeliveryResult: String, Sendable, Hashable, CaseIterable {
    /// Signed, new, about a configured repository: a targeted sync is queued (or the repository-set hook called).
    case accepted
    /// Signed, new, about a repository another shard owns: sent on to that shard (`devops_twin_webhook_forwarded_total`),
    /// which counts it again, as `accepted`.
    case forwarded
    /// The `ping` GitHub sends when a webhook is created.
    case ping
    /// A delivery id seen before (GitHub redelivers): answered 200, not acted on again.
    case duplicate
    /// Signed but of no use (an untracked branch, an event or action devops-twin does not sync).
    case ignored
    /// Signed but about a repository that is not configured.
    case unknownRepository = "unknown_repository"
    /// Refused with 401: see `devops_twin_webhook_signature_failures_total` for why.
    case badSignature = "bad_signature"
    /// Refused with 413: larger than `webhooks.maxBodyBytes`.
    case tooLarge = "too_large"
    /// Signed but not a delivery: no `X-GitHub-Delivery`, or a body that is not a JSON object (400).
    case invalid
}
