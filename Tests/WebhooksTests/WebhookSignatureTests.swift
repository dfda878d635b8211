import Crypto
import Foundation
import Testing

@testable import Webhooks

@Suite struct WebhookSignatureTests {
    static let secret = WebhookSignature.key("It's a Secret to Everybody")
    static let body = Array("Hello, World!".utf8)

    /// GitHub's documented example (docs.github.com, "Validating webhook deliveries"): the secret
    /// "It's a Secret to Everybody" and the payload "Hello, World!" give this signature.
    @Test func githubsDocumentedExampleVerifies() {
        let documented = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(WebhookSignature.sign(body: Self.body, secret: Self.secret) == documented)
        #expect(WebhookSignature.verify(body: Self.body, header: documented, secret: Self.secret) == nil)
        #expect(WebhookSignature.verify(body: Self.body, header: documented.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="), secret: Self.secret) == nil)
    }

    @Test func aSignatureMadeWithAnotherSecretIsAMismatch() {
        let forged = WebhookSignature.sign(body: Self.body, secret: WebhookSignature.key("another secret"))
        #expect(WebhookSignature.verify(body: Self.body, header: forged, secret: Self.secret) == .mismatch)
    }

    @Test func aMissingSignatureIsRefused() {
        #expect(WebhookSignature.verify(body: Self.body, header: nil, secret: Self.secret) == .missing)
        #expect(WebhookSignature.verify(body: Self.body, header: "  ", secret: Self.secret) == .missing)
    }

    @Test func anotherAlgorithmPrefixIsRefused() {
        // The legacy X-Hub-Signature value (HMAC-SHA1) sent where the SHA-256 one belongs.
        let sha1 = "sha1=" + HMAC<Insecure.SHA1>.authenticationCode(for: Self.body, using: Self.secret)
            .map { String(format: "%02x", $0) }.joined()
        #expect(WebhookSignature.verify(body: Self.body, header: sha1, secret: Self.secret) == .wrongAlgorithm)
        let hexOnly = String(WebhookSignature.sign(body: Self.body, secret: Self.secret).dropFirst("sha256=".count))
        #expect(WebhookSignature.verify(body: Self.body, header: hexOnly, secret: Self.secret) == .wrongAlgorithm)
        #expect(WebhookSignature.verify(body: Self.body, header: "sha512=" + hexOnly, secret: Self.secret) == .wrongAlgorithm)
    }

    @Test func aMalformedValueIsRefused() {
        let valid = WebhookSignature.sign(body: Self.body, secret: Self.secret)
        #expect(WebhookSignature.verify(body: Self.body, header: String(valid.dropLast()), secret: Self.secret) == .malformed)
        #expect(WebhookSignature.verify(body: Self.body, header: String(valid.dropLast(2)), secret: Self.secret) == .malformed)
        #expect(WebhookSignature.verify(body: Self.body, header: String(valid.dropLast()) + "g", secret: Self.secret) == .malformed)
        #expect(WebhookSignature.verify(body: Self.body, header: "sha256=", secret: Self.secret) == .malformed)
    }

    @Test func aBodyChangedByOneByteIsAMismatch() {
        let payload = Array(#"{"action":"opened","repository":{"full_name":"demo/app"}}"#.utf8)
        let signature = WebhookSignature.sign(body: payload, secret: Self.secret)
        #expect(WebhookSignature.verify(body: payload, header: signature, secret: Self.secret) == nil)
        for index in [0, payload.count / 2, payload.count - 1] {
            var changed = payload
            changed[index] ^= 0x01
            #expect(WebhookSignature.verify(body: changed, header: signature, secret: Self.secret) == .mismatch, "byte \(index)")
        }
        #expect(WebhookSignature.verify(body: payload + [0x20], header: signature, secret: Self.secret) == .mismatch)
        #expect(WebhookSignature.verify(body: payload.dropLast(), header: signature, secret: Self.secret) == .mismatch)
    }

    /// The comparison examines every byte wherever the first difference is, so its time says nothing about how
    /// much of a forged signature was right.
    @Test func theComparisonIsTimingSafe() {
        let expected = Array(HMAC<SHA256>.authenticationCode(for: Self.body, using: Self.secret))
        #expect(ConstantTimeComparison.compare(expected, expected) == (true, 32))
        for position in expected.indices {
            var forged = expected
            forged[position] ^= 0x80
            let (equal, examined) = ConstantTimeComparison.compare(expected, forged)
            #expect(!equal)
            #expect(examined == expected.count, "stopped early for a difference at byte \(position)")
        }
        let allWrong = expected.map { ~$0 }
        #expect(ConstantTimeComparison.compare(expected, allWrong) == (false, 32))
        // Lengths are public (always 32 after the format check): unequal lengths are refused without a scan.
        #expect(ConstantTimeComparison.compare(expected, Array(expected.dropLast())) == (false, 0))
    }
}
