import Foundation
import GitHubAPI
import GitHubSimulator
import Testing

/// Property tests of GitHub's timestamp parsing: every instant round-trips through GitHub's formats, and
/// mutated or random text is refused (nil), never a crash or a wrong instant.
@Suite struct DateParsingPropertyTests {
    @Test func everyInstantRoundTripsThroughGitHubsFormats() {
        var generator = SplitMix64(seed: 17)
        let formatter = ISO8601DateFormatter()
        for _ in 0..<3000 {
            // 1970 … 2099, whole seconds (GitHub's precision).
            let seconds = Double(generator.next() % 4_102_444_800)
            let date = Date(timeIntervalSince1970: seconds)
            let text = formatter.string(from: date)
            #expect(GitHubJSON.parseDate(text) == date, "\(text)")
            let offset = text.replacingOccurrences(of: "Z", with: "+00:00")
            #expect(GitHubJSON.parseDate(offset) == date, "\(offset)")
        }
    }

    @Test func mutatedTimestampsAreRefusedOrStillTheRightKindOfValue() {
        var generator = SplitMix64(seed: 99)
        let alphabet = Array("0123456789-:TZ+. xé\u{0}")
        var refused = 0
        for _ in 0..<3000 {
            var characters = Array("2024-05-01T12:30:00Z")
            let mutations = 1 + Int(generator.next() % 3)
            for _ in 0..<mutations {
                let index = Int(generator.next() % UInt64(characters.count))
                switch generator.next() % 3 {
                case 0: characters[index] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: characters.remove(at: index)
                default: characters.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: index)
                }
                if characters.isEmpty { characters = ["x"] }
            }
            let text = String(characters)
            if let date = GitHubJSON.parseDate(text) {
                // Whatever parses is a finite instant within the representable range.
                #expect(date.timeIntervalSince1970.isFinite)
            } else {
                refused += 1
            }
        }
        #expect(refused > 1500)
    }
}
