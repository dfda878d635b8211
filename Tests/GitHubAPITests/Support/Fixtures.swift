import Foundation

/// The octokit fixtures in `Tests/Fixtures/github/octokit-fixtures` (provenance and licence: `Tests/Fixtures/README.md`).
enum Fixtures {
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("Tests/Fixtures/github/octokit-fixtures")
    }()

    /// One recorded exchange of a fixture scenario.
    struct Entry: @unchecked Sendable {
        var method: String
        var path: String
        var status: Int
        var headers: [(String, String)]
        var response: Any?

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        var bodyData: Data {
            guard let response else { return Data() }
            if let text = response as? String { return Data(text.utf8) }
            return (try? JSONSerialization.data(withJSONObject: response, options: [.sortedKeys])) ?? Data()
        }
    }

    /// Entries of `<scenario>/normalized-fixture.json` (or `raw-fixture.json` when `raw`).
    static func entries(_ scenario: String, raw: Bool = false) throws -> [Entry] {
        let file = directory.appendingPathComponent(scenario).appendingPathComponent(raw ? "raw-fixture.json" : "normalized-fixture.json")
        let data = try Data(contentsOf: file)
        guard let list = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [[String: Any]] else { return [] }
        return list.map { item in
            var headers: [(String, String)] = []
            if raw, let flat = item["rawHeaders"] as? [Any] {
                var index = 0
                while index + 1 < flat.count {
                    headers.append(("\(flat[index])", "\(flat[index + 1])"))
                    index += 2
                }
            } else if let map = item["headers"] as? [String: Any] {
                headers = map.map { ($0.key, "\($0.value)") }.sorted { $0.0 < $1.0 }
            }
            return Entry(
                method: (item["method"] as? String ?? "get").uppercased(), path: item["path"] as? String ?? "/",
                status: item["status"] as? Int ?? 200, headers: headers, response: item["response"])
        }
    }

    /// JSON body of the `index`-th GET of a scenario whose path contains `pathContains`.
    static func getBody(_ scenario: String, pathContains: String, index: Int = 0) throws -> Data {
        let matches = try entries(scenario).filter { $0.method == "GET" && $0.path.contains(pathContains) }
        guard index < matches.count else { throw FixtureMissing(scenario: scenario, path: pathContains) }
        return matches[index].bodyData
    }

    struct FixtureMissing: Error {
        var scenario: String
        var path: String
    }
}

/// Deterministic pseudo-random numbers for property tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
