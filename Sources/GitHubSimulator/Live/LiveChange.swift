import Foundation

/// One change the live mode made to a simulated repository, and the webhook deliveries GitHub would send for it.
public struct LiveChange: Sendable, Hashable {
    /// What changed, as the store counts it.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case commit, release, issueOpened = "issue_opened", issueClosed = "issue_closed", workflowRun = "workflow_run"
    }

    public var repository: String
    public var kind: Kind
    /// The id of what changed: a sha, a tag name, an issue number or a run id.
    public var key: String
    public var deliveries: [WebhookDelivery]

    public init(repository: String, kind: Kind, key: String, deliveries: [WebhookDelivery]) {
        self.repository = repository
        self.kind = kind
        self.key = key
        self.deliveries = deliveries
    }
}

/// A webhook delivery as GitHub sends it: the event header and the JSON body (the id and signature are added
/// when it is sent).
public struct WebhookDelivery: Sendable, Hashable {
    public var event: String
    public var body: [UInt8]

    public init(event: String, body: [UInt8]) {
        self.event = event
        self.body = body
    }
}

extension WebhookDelivery {
    /// The `ping` GitHub sends when a hook is created (its payload names the hook's URL and events).
    public static func ping(url: String, hookID: Int = 1) -> WebhookDelivery {
        WebhookPayloads.ping(hookID: hookID, url: url, events: LiveService.events)
    }
}
