import Foundation

/// The GitHub webhook receiver (`webhooks`): off unless the section is present, on a listener of its own so
/// that the metrics port is never exposed to GitHub.
public struct WebhookSettings: Sendable {
    public var listenHost: String
    public var listenPort: Int
    /// The webhook secret, from `DEVOPS_TWIN_WEBHOOK_SECRET` or the file named by `webhooks.secretFile`.
    public var secret: Secret
    /// Larger bodies are refused (413) before being read whole.
    public var maxBodyBytes: Int = WebhookSettings.defaultMaxBodyBytes
    /// How long the receiver gathers deliveries before it syncs: a burst becomes one sync per entity.
    public var coalesceWindow: TimeInterval = 1
    /// Serve HTTPS with `exporter.tls`'s certificate and key (never its client CA: GitHub presents no certificate).
    public var useExporterTLS = false
    /// The Alertmanager/Grafana alert receiver on the same listener (`webhooks.alertmanager`); nil: off.
    public var alertmanager: AlertReceiverSettings?

    /// Where another shard's receiver is reached, `{ordinal}` standing for its index (and `{port}` for this
    /// receiver's listen port): a delivery about a repository another shard owns is forwarded there. nil: the
    /// StatefulSet's pods through the headless Service (`defaultPeerURLTemplate`, https with `useExporterTLS`).
    public var peerURLTemplate: String?

    /// The pods of the `devops-twin` StatefulSet through its headless Service `devops-twin-headless`
    /// (deploy/kubernetes), in the pod's namespace.
    public static let defaultPeerURLTemplate = "http://devops-twin-{ordinal}.devops-twin-headless:{port}/webhooks/github"

    /// The peer URL template in force: the configured one, else the default (https when the receiver serves TLS).
    public var effectivePeerURLTemplate: String {
        if let peerURLTemplate { return peerURLTemplate }
        return useExporterTLS ? "https" + Self.defaultPeerURLTemplate.dropFirst("http".count) : Self.defaultPeerURLTemplate
    }

    /// The receiver of shard `ordinal` from the template in force.
    public func peerURL(ordinal: Int) -> String {
        effectivePeerURLTemplate.replacingOccurrences(of: "{ordinal}", with: String(ordinal))
            .replacingOccurrences(of: "{port}", with: String(listenPort))
    }

    /// 1 MiB: GitHub's own cap is 25 MB, but the events devops-twin uses are a few kilobytes to a few hundred.
    public static let defaultMaxBodyBytes = 1_048_576
    /// GitHub caps webhook payloads at 25 MB.
    public static let maximumBodyBytes = 26_214_400
    /// `sync.interval` when webhooks are on and the interval is not set: polling becomes the reconciliation.
    public static let reconciliationInterval: TimeInterval = 3600

    public init(listenHost: String, listenPort: Int, secret: Secret) {
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.secret = secret
    }
}
