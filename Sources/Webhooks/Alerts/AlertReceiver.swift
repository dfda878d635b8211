import Crypto
import Dora
import Foundation
import Logging

/// `POST /webhooks/alertmanager`: Alertmanager's and Grafana's webhook notifications become alert signals.
///
/// In order: the credentials (bearer token or basic auth, compared in constant time), then the body (JSON of
/// a known payload version, every alert with labels, a start and, when resolved, an end), then the store. The
/// answer is 200 only once the signals are committed; a store failure is a 503, which Alertmanager retries. Bad
/// input is refused whole (nothing is stored) with its own status and counter: 401 credentials, 400 malformed,
/// 413 too large, 415 unknown payload version, 422 an alert without labels.
public struct AlertReceiver: Sendable {
    /// The HTTP answer and the counter it went to.
    public struct Answer: Sendable, Hashable {
        public var status: Int
        public var message: String
        public var result: String
    }

    /// What the receiver expects in `Authorization`.
    public enum Credential: Sendable {
        case bearer(token: String)
        case basic(user: String, password: String)
    }

    private let expected: [UInt8]
    /// Commits the records (durably) and refreshes what they touch; throws when the store fails.
    let store: @Sendable ([AlertSignalRecord]) async throws -> Void
    public let statistics: AlertReceiverStatistics
    let logger: Logger

    public init(
        credential: Credential, statistics: AlertReceiverStatistics, logger: Logger,
        store: @escaping @Sendable ([AlertSignalRecord]) async throws -> Void
    ) {
        switch credential {
        case .bearer(let token): expected = Self.digest("Bearer " + token)
        case .basic(let user, let password): expected = Self.digest("Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        }
        self.statistics = statistics
        self.logger = logger
        self.store = store
    }

    static func digest(_ text: String) -> [UInt8] { Array(SHA256.hash(data: Data(text.utf8))) }

    /// Whether `authorization` is the expected header, comparing digests in constant time.
    func authorized(_ authorization: String?) -> Bool {
        let given = Self.digest(authorization?.trimmingCharacters(in: .whitespaces) ?? "")
        var difference: UInt8 = 0
        for (a, b) in zip(given, expected) { difference |= a ^ b }
        return difference == 0 && authorization != nil
    }

    /// Handles one notification.
    public func receive(authorization: String?, body: [UInt8]) async -> Answer {
        guard authorized(authorization) else {
            return answer(401, "unauthorized", "missing or wrong credentials: set http_config.authorization (or basic_auth) to devops-twin's")
        }
        let notification: AlertNotification
        do {
            notification = try JSONDecoder().decode(AlertNotification.self, from: Data(body))
        } catch {
            return answer(400, "malformed", "the body is not an Alertmanager webhook notification (JSON with version and alerts)")
        }
        guard notification.isKnownVersion else {
            return answer(
                415, "unsupported_version",
                "payload version \"\(notification.version.prefix(10))\" is not supported: Alertmanager's version 4 or Grafana's webhook contact point")
        }
        let records: [AlertSignalRecord]
        do {
            records = try notification.records()
        } catch {
            switch error {
            case .noLabels(let index):
                return answer(422, "no_labels", "alerts[\(index)] has no labels: an alert without labels cannot be assigned to a repository")
            case .malformed(let what):
                return answer(400, "malformed", what)
            }
        }
        do {
            try await store(records)
        } catch {
            logger.error("alert notification not stored; Alertmanager will retry", metadata: ["error": "\(error)"])
            return answer(503, "store_failed", "not stored (the store failed); retry")
        }
        statistics.record("stored", alerts: records.count)
        logger.debug("alert notification stored", metadata: ["alerts": "\(records.count)"])
        return Answer(status: 200, message: "stored \(records.count) alerts", result: "stored")
    }

    /// Counts a notification refused for its size (the server checks it before reading the body).
    public func refuseTooLarge(maxBytes: Int) -> Answer {
        answer(413, "too_large", "notification larger than webhooks.maxBodyBytes (\(maxBytes) bytes); lower max_alerts in webhook_configs")
    }

    private func answer(_ status: Int, _ result: String, _ message: String) -> Answer {
        statistics.record(result)
        if result != "stored" { logger.info("alert notification refused", metadata: ["result": "\(result)", "status": "\(status)"]) }
        return Answer(status: status, message: message, result: result)
    }
}
