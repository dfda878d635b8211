import AsyncHTTPClient
import TwinConfig
import Webhooks

/// Hands a forwarded delivery to another shard's receiver (`webhooks.peerUrlTemplate`, by default the StatefulSet
/// pod through the headless Service) with GitHub's body and headers unchanged, plus the header that stops it from
/// being forwarded again. The owner verifies GitHub's signature as for any delivery.
struct PeerDeliveryTransport: Sendable {
    let httpClient: HTTPClient
    let settings: WebhookSettings
    let ownShard: Int
    /// The owner answers as soon as the delivery is queued; longer means it is not there.
    var timeout: Duration = .seconds(10)

    func send(_ delivery: ForwardedDelivery) async -> DeliveryForwarder.Outcome {
        var request = HTTPClientRequest(url: settings.peerURL(ordinal: delivery.shard))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "devops-twin (forwarded by shard \(ownShard))")
        if let event = delivery.event { request.headers.add(name: "X-GitHub-Event", value: event) }
        request.headers.add(name: "X-GitHub-Delivery", value: delivery.delivery)
        if let signature = delivery.signature { request.headers.add(name: "X-Hub-Signature-256", value: signature) }
        request.headers.add(name: ForwardedDelivery.forwardedFromHeader, value: String(ownShard))
        request.body = .bytes(delivery.body)
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
            _ = try? await response.body.collect(upTo: 65_536)
            switch response.status.code {
            case 200..<300: return .delivered
            case 500...: return .unreachable(reason: "HTTP \(response.status.code)")
            default: return .refused(status: Int(response.status.code))
            }
        } catch {
            return .unreachable(reason: "\(error)")
        }
    }
}
