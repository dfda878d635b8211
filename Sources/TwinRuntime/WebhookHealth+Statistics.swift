import Exporter
import Webhooks

extension WebhookStatistics.Snapshot {
    /// The receiver's counters as the exporter shows them; every configured repository gets its per-repository
    /// counter (0 before its first delivery), so a silent hook shows as a flat series, not an absent one.
    func health(repositories: [String]) -> WebhookHealth {
        var accepted = Dictionary(uniqueKeysWithValues: repositories.map { ($0, 0) })
        for (repository, count) in acceptedByRepository { accepted[repository, default: 0] += count }
        let deliveries = self.deliveries.flatMap { event, results in
            results.map { WebhookHealth.Delivery(event: event.rawValue, result: $0.key.rawValue, count: $0.value) }
        }
        return WebhookHealth(
            deliveries: deliveries,
            signatureFailures: Dictionary(uniqueKeysWithValues: signatureFailures.map { ($0.key.rawValue, $0.value) }),
            acceptedByRepository: accepted, queueDepth: queueDepth,
            deliveryToSnapshot: HistogramValue(
                bounds: deliveryToSnapshot.bounds, cumulativeCounts: deliveryToSnapshot.counts, sum: deliveryToSnapshot.sum,
                count: deliveryToSnapshot.count),
            forwarded: Dictionary(uniqueKeysWithValues: forwarded.map { ($0.key.rawValue, $0.value) }))
    }
}
