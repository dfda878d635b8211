import Crypto
import Foundation

/// GitHub's `X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the raw body under the webhook secret.
/// Checked before anything in the delivery is parsed, with a comparison whose time does not depend on where
/// the bytes differ, so a forger learns nothing from how long a refusal takes.
public enum WebhookSignature {
    /// Why a signature is refused: the `reason` label of `devops_twin_webhook_signature_failures_total`.
    public enum Failure: String, Sendable, Hashable, CaseIterable, Error {
        /// No `X-Hub-Signature-256` header: the webhook has no secret set on GitHub.
        case missing
        /// Not `sha256=`: e.g. the legacy SHA-1 `sha1=` value sent as the SHA-256 header.
        case wrongAlgorithm = "wrong_algorithm"
        /// `sha256=` followed by something other than 64 hex digits.
        case malformed
        /// Well-formed but not the body's HMAC under this secret: another secret, or a body changed on the way.
        case mismatch
    }

    static let prefix = "sha256="

    /// nil when `header` is the body's signature under `secret`, else why not.
    public static func verify(body: some DataProtocol, header: String?, secret: SymmetricKey) -> Failure? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return .missing }
        guard header.lowercased().hasPrefix(prefix) else { return .wrongAlgorithm }
        guard let provided = hexBytes(header.dropFirst(prefix.count)), provided.count == SHA256.byteCount else {
            return .malformed
        }
        let expected = Array(HMAC<SHA256>.authenticationCode(for: body, using: secret))
        return ConstantTimeComparison.equal(expected, provided) ? nil : .mismatch
    }

    /// The header value GitHub would send for `body` (the simulator's deliveries, tests).
    public static func sign(body: some DataProtocol, secret: SymmetricKey) -> String {
        prefix + HMAC<SHA256>.authenticationCode(for: body, using: secret).map { String(format: "%02x", $0) }.joined()
    }

    /// The key of a webhook secret as GitHub uses it: its UTF-8 bytes.
    public static func key(_ secret: String) -> SymmetricKey { SymmetricKey(data: Data(secret.utf8)) }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for character in text.utf8 {
            let value: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes
    }
}

/// Equality of two byte strings of public length in time independent of their contents: every byte is
/// examined whatever the first difference, and differences are accumulated without branching on them.
public enum ConstantTimeComparison {
    public static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool { compare(lhs, rhs).equal }

    /// The comparison and how many byte pairs it examined (the test's evidence that it never stops early).
    static func compare(_ lhs: [UInt8], _ rhs: [UInt8]) -> (equal: Bool, examined: Int) {
        guard lhs.count == rhs.count else { return (false, 0) }
        var difference: UInt8 = 0
        var examined = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
            examined &+= 1
        }
        return (difference == 0, examined)
    }
}
