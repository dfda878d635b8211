import GitHubAPI
import Testing

@Suite("LinkHeader.parse")
struct LinkHeaderTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var header: String
        var expected: [String: String]
        var testDescription: String { header.isEmpty ? "<empty>" : String(header.prefix(60)) }
    }

    static let cases: [Case] = [
        .init(
            header: #"<https://api.github.com/repositories/1/issues?per_page=3&page=2>; rel="next", <https://api.github.com/repositories/1/issues?per_page=3&page=5>; rel="last""#,
            expected: [
                "next": "https://api.github.com/repositories/1/issues?per_page=3&page=2",
                "last": "https://api.github.com/repositories/1/issues?per_page=3&page=5",
            ]),
        .init(header: #"<https://h/x?page=5>; rel="last", <https://h/x?page=2>; rel="next""#, expected: ["last": "https://h/x?page=5", "next": "https://h/x?page=2"]),
        .init(header: #"<https://h/x?page=1>; rel="prev""#, expected: ["prev": "https://h/x?page=1"]),
        .init(header: #"<https://h/x?page=2>; REL="Next""#, expected: ["next": "https://h/x?page=2"]),
        .init(header: "<https://h/x?page=2>;rel=next", expected: ["next": "https://h/x?page=2"]),
        .init(header: "<https://h/x?page=2>; rel='next'", expected: ["next": "https://h/x?page=2"]),
        .init(header: #"<https://h/x?q=a,b&after=Y3Vy,c29y>; rel="next", <https://h/x?q=a,b>; rel="first""#,
              expected: ["next": "https://h/x?q=a,b&after=Y3Vy,c29y", "first": "https://h/x?q=a,b"]),
        .init(header: #"<https://h/x?page=2>; title="page, two"; rel="next""#, expected: ["next": "https://h/x?page=2"]),
        .init(header: #"<https://h/x?page=9>; rel="next last""#, expected: ["next": "https://h/x?page=9", "last": "https://h/x?page=9"]),
        .init(header: #"  <https://h/a>  ;  rel = "next"  ,  <https://h/b> ; rel="prev"  "#, expected: ["next": "https://h/a", "prev": "https://h/b"]),
        .init(header: #"<https://h/a>; rel="next", <https://h/b>; rel="next""#, expected: ["next": "https://h/a"]),
        .init(header: "", expected: [:]),
        .init(header: "garbage", expected: [:]),
        .init(header: "<", expected: [:]),
        .init(header: ">; rel=next", expected: [:]),
        .init(header: "<https://h/a; rel=next", expected: [:]),
        .init(header: ";;;,,,<<>>", expected: [:]),
        .init(header: #"<>; rel="next""#, expected: [:]),
        .init(header: "<https://h/a>", expected: [:]),
        .init(header: #"<https://h/a>; rel="next"#, expected: ["next": "https://h/a"]),
    ]

    @Test("parses real, reordered, odd and broken headers", arguments: cases)
    func parses(_ testCase: Case) {
        #expect(LinkHeader.parse(testCase.header) == testCase.expected)
    }

    @Test("random strings over the header alphabet never crash and only yield URLs taken from the input")
    func randomInputNeverCrashes() {
        var generator = SeededGenerator(seed: 0x5EED)
        let alphabet = Array(#"<>;,=" 'relnxtNEXTlasprvfi:/?&.h1é\#t"#)
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<80, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let parsed = LinkHeader.parse(text)
            for (rel, url) in parsed {
                #expect(text.contains(url))
                #expect(rel == rel.lowercased())
            }
        }
    }

    @Test("mutated real Link values never crash")
    func mutatedRealValuesNeverCrash() {
        let real =
            #"<https://api.github.com/repositories/1000/issues?per_page=3&page=1>; rel="prev", <https://api.github.com/repositories/1000/issues?per_page=3&page=3>; rel="next", <https://api.github.com/repositories/1000/issues?per_page=3&page=5>; rel="last", <https://api.github.com/repositories/1000/issues?per_page=3&page=1>; rel="first""#
        var generator = SeededGenerator(seed: 42)
        let noise = Array(#"<>;,=" x"#)
        for _ in 0..<3000 {
            var characters = Array(real)
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                guard !characters.isEmpty else { break }
                let index = Int.random(in: 0..<characters.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: characters.remove(at: index)
                case 1: characters.insert(noise.randomElement(using: &generator)!, at: index)
                default: characters[index] = noise.randomElement(using: &generator)!
                }
            }
            let mutated = String(characters)
            for url in LinkHeader.parse(mutated).values {
                #expect(mutated.contains(url))
            }
        }
    }

    @Test("well-formed headers in any order, spacing, quoting and case round-trip")
    func wellFormedRoundTrip() {
        var generator = SeededGenerator(seed: 7)
        let rels = ["next", "prev", "first", "last"]
        for _ in 0..<1000 {
            var expected: [String: String] = [:]
            var parts: [String] = []
            for rel in rels.shuffled(using: &generator) where Bool.random(using: &generator) {
                let page = Int.random(in: 1...500, using: &generator)
                let cursor = Bool.random(using: &generator) ? "&after=Y3,Vy%3D" : ""
                let url = "https://ghes.example/api/v3/repositories/\(page)/commits?per_page=100&page=\(page)\(cursor)"
                expected[rel] = url
                let name = Bool.random(using: &generator) ? rel : rel.uppercased()
                let quoted: String
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: quoted = "\"\(name)\""
                case 1: quoted = "'\(name)'"
                default: quoted = name
                }
                let space = Bool.random(using: &generator) ? " " : ""
                parts.append("<\(url)>;\(space)rel=\(quoted)")
            }
            let separator = Bool.random(using: &generator) ? ", " : ","
            #expect(LinkHeader.parse(parts.joined(separator: separator)) == expected)
        }
    }
}
