import Dora
import Foundation
import Logging
import Synchronization
import TwinConfig

@testable import Webhooks

/// Configurations and signed deliveries for the receiver's tests.
enum WebhookFixtures {
    static let secret = "test-webhook-secret"

    /// `demo/app` (releases, branch main), `demo/ops` (GitHub Deployments), and `demo/web` reading its issues
    /// from `demo/tracker`.
    static func repositories() throws -> [RepositorySettings] {
        let json = """
            {"repositories": [
              {"name": "demo/app"},
              {"name": "demo/ops", "branch": "trunk", "deployments": {"source": "deployments"}},
              {"name": "demo/web", "sources": {"issues": "demo/tracker"}}
            ]}
            """
        return try ConfigLoader(environment: [:]).load(data: Data(json.utf8), origin: "test").configuration.repositories
    }

    static func payload(_ fields: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data())
    }

    static func repository(_ fullName: String) -> [String: Any] {
        ["full_name": fullName, "name": String(fullName.split(separator: "/").last ?? ""), "id": 1]
    }

    static func push(_ repositoryName: String, ref: String) -> [UInt8] {
        payload(["ref": ref, "before": String(repeating: "0", count: 40), "after": String(repeating: "a", count: 40), "repository": repository(repositoryName)])
    }

    static func signature(_ body: [UInt8], secret: String = secret) -> String {
        WebhookSignature.sign(body: body, secret: WebhookSignature.key(secret))
    }

    /// A receiver with its own queue and counters.
    static func receiver() throws -> (WebhookReceiver, CoalescingQueue, WebhookStatistics, ChangeLog) {
        let statistics = WebhookStatistics()
        let queue = CoalescingQueue { statistics.setQueueDepth($0) }
        let changes = ChangeLog()
        let receiver = WebhookReceiver(
            secret: secret, router: WebhookRouter(repositories: try repositories()), queue: queue, statistics: statistics,
            logger: Logger(label: "test"), onRepositorySetChange: { changes.append($0) })
        return (receiver, queue, statistics, changes)
    }
}

/// Repository-set changes handed to the hook, in order.
final class ChangeLog: Sendable {
    private let state = Mutex<[RepositorySetChange]>([])
    func append(_ change: RepositorySetChange) { state.withLock { $0.append(change) } }
    var values: [RepositorySetChange] { state.withLock { $0 } }
}
