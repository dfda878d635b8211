import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import Synchronization

/// Delivers the live mode's webhooks to a URL as GitHub does: `X-GitHub-Event`, a fresh `X-GitHub-Delivery`,
/// `X-Hub-Signature-256` (HMAC-SHA256 of the body with the secret), JSON body. A share of deliveries can be
/// dropped, delayed or duplicated (sent twice with the same delivery id, as a redelivery is) to show that the
/// receiver copes and that the periodic sync reconciles what was lost.
public final class WebhookSender: Sendable {
    /// Shares (0…1) of deliveries dropped, delayed and duplicated, and the delay.
    public struct Faults: Sendable, Hashable {
        public var drop: Double
        public var delay: Double
        public var duplicate: Double
        public var delaySeconds: ClosedRange<Double>

        public init(drop: Double = 0, delay: Double = 0, duplicate: Double = 0, delaySeconds: ClosedRange<Double> = 1...5) {
            self.drop = drop
            self.delay = delay
            self.duplicate = duplicate
            self.delaySeconds = delaySeconds
        }
    }

    /// What happened to deliveries so far.
    public struct Tally: Sendable, Hashable {
        public var sent = 0
        public var dropped = 0
        public var delayed = 0
        public var duplicated = 0
        /// Sends that got no 2xx answer (or none at all).
        public var failed = 0
    }

    let url: String
    let key: SymmetricKey
    let httpClient: HTTPClient
    let faults: Faults
    let logger: Logger
    private let rng: Mutex<SplitMix64>
    private let counts = Mutex(Tally())
    private let sequence = Mutex(0)

    public init(url: String, secret: String, httpClient: HTTPClient, faults: Faults = Faults(), seed: UInt64 = 1, logger: Logger) {
        self.url = url
        self.key = SymmetricKey(data: Data(secret.utf8))
        self.httpClient = httpClient
        self.faults = faults
        self.logger = logger
        self.rng = Mutex(SplitMix64(seed: seed))
    }

    public var tally: Tally { counts.withLock { $0 } }

    /// The `X-Hub-Signature-256` value for `body`.
    public static func signature(_ body: [UInt8], secret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// What happened to one delivery.
    public enum Fate: String, Sendable, Hashable {
        case sent, dropped, delayed, duplicated
    }

    /// Sends `delivery` subject to the faults: returns once sent (or dropped); a delayed one is sent later by a
    /// task of its own, which `send` returns without waiting for.
    @discardableResult
    public func send(_ delivery: WebhookDelivery) async -> Fate {
        let (drop, delay, duplicate, wait) = rng.withLock { rng in
            (rng.chance(faults.drop), rng.chance(faults.delay), rng.chance(faults.duplicate), rng.seconds(faults.delaySeconds))
        }
        let id = nextID()
        if drop {
            counts.withLock { $0.dropped += 1 }
            return .dropped
        }
        if delay {
            counts.withLock { $0.delayed += 1 }
            Task {
                try? await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
                await self.post(delivery, id: id)
            }
            return .delayed
        }
        await post(delivery, id: id)
        if duplicate {
            counts.withLock { $0.duplicated += 1 }
            await post(delivery, id: id)
            return .duplicated
        }
        return .sent
    }

    /// Sends `delivery` once, with no faults (the ping, tests).
    public func post(_ delivery: WebhookDelivery, id: String? = nil) async {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "GitHub-Hookshot/devops-twin-simulator")
        request.headers.add(name: "X-GitHub-Event", value: delivery.event)
        request.headers.add(name: "X-GitHub-Delivery", value: id ?? nextID())
        request.headers.add(name: "X-GitHub-Hook-ID", value: "1")
        request.headers.add(
            name: "X-Hub-Signature-256",
            value: "sha256=" + HMAC<SHA256>.authenticationCode(for: delivery.body, using: key).map { String(format: "%02x", $0) }.joined())
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(10))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let ok = (200..<300).contains(Int(response.status.code))
            counts.withLock {
                $0.sent += 1
                if !ok { $0.failed += 1 }
            }
            if !ok { logger.debug("webhook delivery not accepted", metadata: ["status": "\(response.status.code)"]) }
        } catch {
            counts.withLock {
                $0.sent += 1
                $0.failed += 1
            }
            logger.debug("webhook delivery failed", metadata: ["error": "\(error)"])
        }
    }

    /// A GUID-shaped delivery id, unique per sender.
    private func nextID() -> String {
        let number = sequence.withLock { value -> Int in
            value += 1
            return value
        }
        let salt = rng.withLock { $0.next() }
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
        }
        let digits = Array(hex(salt) + hex(UInt64(number)))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(digits[$0]) }.joined(separator: "-")
    }
}
