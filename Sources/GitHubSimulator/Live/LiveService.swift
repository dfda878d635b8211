import Foundation
import Logging
import ServiceLifecycle

/// The live mode as a `Service`: a change every `interval` (to a random repository), its webhooks handed to the
/// sender when there is one. Stops on graceful shutdown.
public struct LiveService: Service {
    let activity: LiveActivity
    let sender: WebhookSender?
    let interval: Duration
    let logger: Logger

    /// The events the live mode delivers (the hook's subscription in its ping).
    static let events = ["create", "issues", "push", "release", "workflow_run"]

    public init(activity: LiveActivity, sender: WebhookSender?, interval: Duration, logger: Logger) {
        self.activity = activity
        self.sender = sender
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        // GitHub pings a new hook first.
        await sender?.post(WebhookPayloads.ping(hookID: 1, url: sender?.url ?? "", events: Self.events))
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: interval)
                    guard let change = activity.step() else { continue }
                    logger.debug(
                        "live change", metadata: ["repository": "\(change.repository)", "kind": "\(change.kind.rawValue)", "key": "\(change.key)"])
                    if let sender {
                        for delivery in change.deliveries { await sender.send(delivery) }
                    }
                }
            }
        } catch is CancellationError {
            if let tally = sender?.tally {
                logger.info(
                    "live mode stopped",
                    metadata: ["sent": "\(tally.sent)", "dropped": "\(tally.dropped)", "duplicated": "\(tally.duplicated)", "delayed": "\(tally.delayed)"])
            }
        }
    }
}
