import Foundation

/// Fails when a text shows the marker every secret holds, unless the input itself contained it.
struct SecretLeakCheck {
    let marker: String
    let applies: Bool

    init(marker: String, input: Data) {
        self.marker = marker
        applies = !String(decoding: input, as: UTF8.self).contains(marker)
    }

    func check(_ text: String, _ what: String) throws(HarnessViolation) {
        guard applies, text.contains(marker) else { return }
        throw HarnessViolation("no secret in \(what)", text)
    }
}
