import Foundation
import Testing

@testable import TwinConfig

/// Property: whatever the configuration text, loading either succeeds or fails with a `ConfigError` whose
/// description names a key or the file; it never crashes. Inputs are seeded mutations of the example.
@Suite struct ConfigFuzzTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
    }

    nonisolated(unsafe) static let example: Any = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config.example.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }()

    nonisolated(unsafe) static let replacements: [Any] = [
        "", "x", "-1", "1e309", "0s", "99999d", "owner", "a/b/c", "^(", "true", 0, -5, 3.5, 1e20, true, false, NSNull(), [], ["x"], [1, 2], [:],
        ["nested": ["deep": 1]], String(repeating: "z", count: 500), "\u{0}\u{7}", "bug&", "&", "http://", "bolt://x:7687",
    ]

    /// Applies one random mutation somewhere in the JSON tree.
    static func mutate(_ value: Any, _ generator: inout Generator, depth: Int = 0) -> Any {
        if var object = value as? [String: Any], !object.isEmpty {
            let keys = object.keys.sorted()
            let key = keys[generator.int(keys.count)]
            switch generator.int(depth == 0 ? 5 : 6) {
            case 0: object[key] = nil
            case 1: object[key] = replacements[generator.int(replacements.count)]
            case 2:
                let typo = String(key.dropLast()) + (key.last.map { String($0).uppercased() } ?? "x") + "x"
                object[typo] = object.removeValue(forKey: key)
            case 3: object["unknown\(generator.int(10))"] = replacements[generator.int(replacements.count)]
            default: object[key] = mutate(object[key]!, &generator, depth: depth + 1)
            }
            return object
        }
        if var array = value as? [Any], !array.isEmpty {
            let index = generator.int(array.count)
            switch generator.int(3) {
            case 0: array.remove(at: index)
            case 1: array.append(array[index])
            default: array[index] = mutate(array[index], &generator, depth: depth + 1)
            }
            return array
        }
        return replacements[generator.int(replacements.count)]
    }

    @Test(arguments: [1, 2, 3, 4])
    func mutatedConfigurationsLoadOrFailWithAClearError(seed: Int) throws {
        var generator = Generator(state: UInt64(seed) &* 7919)
        var loaded = 0
        var rejected = 0
        let loader = ConfigLoader(environment: [:], readSecretFile: { _ in nil })
        for _ in 0..<500 {
            var tree = Self.example
            for _ in 0...generator.int(3) { tree = Self.mutate(tree, &generator) }
            var data = try JSONSerialization.data(withJSONObject: tree, options: [.fragmentsAllowed])
            if generator.int(10) == 0, !data.isEmpty {
                data = data.prefix(generator.int(data.count))  // a truncated file
            }
            do {
                _ = try loader.load(data: data)
                loaded += 1
            } catch {
                rejected += 1
                #expect(!error.message.isEmpty)
                #expect(error.description.count < 2000)
                #expect(error.description.hasPrefix("configuration"))
            }
        }
        #expect(loaded + rejected == 500)
        #expect(rejected > 100, "the mutations should mostly be caught")
    }
}
