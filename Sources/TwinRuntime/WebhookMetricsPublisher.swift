import Exporter
import Foundation
import Logging
import ServiceLifecycle
import Webhooks

/// Keeps the webhook families of the served snapshot current between refreshes: once a second, when the
/// receiver's counters moved, it swaps them into the published snapshot (the rest stays as its refresh computed
/// it). A flood of forged deliveries therefore costs at most one re-rendering a second, and scrapes stay lookups.
struct WebhookMetricsPublisher: Service {
    let statistics: WebhookStatistics
    let holder: SnapshotHolder
    /// The repositories in force (discovery changes them).
    let repositories: @Sendable () -> [String]
    let logger: Logger
    var period: Duration = .seconds(1)

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await loop() }
        } catch is CancellationError {
            return
        }
    }

    private func loop() async throws {
        var last: WebhookStatistics.Snapshot?
        while true {
            try await Task.sleep(for: period)
            let current = statistics.snapshot
            if current != last, republish(current) { last = current }
        }
    }

    /// Swaps `current` into the served snapshot; false when there is none yet, or a refresh published meanwhile
    /// (then the next tick tries again on top of it).
    @discardableResult
    func republish(_ current: WebhookStatistics.Snapshot) -> Bool {
        let (served, generation) = holder.renderedWithGeneration
        guard let served else { return false }
        let health = current.health(repositories: repositories())
        do {
            // A composed snapshot swaps its global part only; the repositories' rendered series are reused.
            let rendered: RenderedSnapshot
            if let composed = served.composed {
                rendered = try RenderedSnapshot(composed.replacingWebhookFamilies(with: health), renderedStatusPage: served.statusPage)
            } else {
                rendered = try RenderedSnapshot(
                    MetricsSnapshotBuilder.replacingWebhookFamilies(in: served.snapshot, with: health), renderedStatusPage: served.statusPage)
            }
            return holder.publish(rendered, ifGeneration: generation)
        } catch {
            logger.error("webhook metrics not republished", metadata: ["error": "\(error)"])
            return false
        }
    }
}
