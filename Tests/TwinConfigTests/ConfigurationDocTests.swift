import Foundation
import Testing

@testable import TwinConfig

/// docs/configuration.md's key table is the loader's contract: exactly the keys it accepts, with its defaults
/// and its bounds. The accepted keys are asked of the loader itself (an unknown key's error lists the allowed
/// ones), the defaults come from the effective configuration, the bounds from loading values at and beyond them.
@Suite struct ConfigurationDocTests {
    struct Row {
        var keys: [String]
        var defaults: [String]
        var bounds: (String, String)?
    }

    static let documentation = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/configuration.md")

    /// The rows of the `## Keys` table; `a.b`, `.c` expands to `a.b` and `a.c`.
    static func rows() throws -> [Row] {
        let text = try String(contentsOf: documentation, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let header = try #require(lines.firstIndex(of: "| key | default | bounds | meaning |"), "no key table in docs/configuration.md")
        var rows: [Row] = []
        for line in lines[(header + 2)...] {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            var keys: [String] = []
            for name in codeSpans(cells[0]) {
                if name.hasPrefix("."), let first = keys.first {
                    keys.append(String(first[..<first.lastIndex(of: ".")!]) + name)
                } else {
                    keys.append(name)
                }
            }
            let bounds = codeSpans(cells[2])
            rows.append(
                Row(
                    keys: keys, defaults: cells[1].hasPrefix("`") ? codeSpans(cells[1]) : [],
                    bounds: bounds.count == 2 ? (bounds[0], bounds[1]) : nil))
        }
        return rows
    }

    static func codeSpans(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    static let pem = [
        "/tls/cert.pem": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "/tls/key.pem": "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n",
        "/app/key.pem": "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n",
        "/app/token": "ghp_example",
        "/webhook/secret": "a-webhook-secret\n",
    ]

    static func load(_ json: String) throws(ConfigError) -> TwinConfiguration {
        let loader = ConfigLoader(environment: [:], now: Date(timeIntervalSince1970: 1_750_000_000), readSecretFile: { pem[$0] })
        return try loader.load(data: Data(json.utf8)).configuration
    }

    /// Each object the loader reads, and a configuration putting `"zzz": 1` into it.
    static let sections: [(path: String, json: String)] = [
        ("", #"{"zzz": 1, "repositories": [{"name": "o/r"}]}"#),
        ("github", #"{"github": {"zzz": 1}, "repositories": [{"name": "o/r"}]}"#),
        ("store", #"{"store": {"zzz": 1}, "repositories": [{"name": "o/r"}]}"#),
        ("sync", #"{"sync": {"zzz": 1}, "repositories": [{"name": "o/r"}]}"#),
        ("exporter", #"{"exporter": {"zzz": 1}, "repositories": [{"name": "o/r"}]}"#),
        ("exporter.basicAuth", #"{"exporter": {"basicAuth": {"user": "u", "zzz": 1}}, "repositories": [{"name": "o/r"}]}"#),
        (
            "exporter.tls",
            #"{"exporter": {"tls": {"certFile": "/tls/cert.pem", "keyFile": "/tls/key.pem", "zzz": 1}}, "repositories": [{"name": "o/r"}]}"#
        ),
        ("exporter.exclude", #"{"exporter": {"exclude": {"zzz": 1}}, "repositories": [{"name": "o/r"}]}"#),
        ("neo4j", #"{"neo4j": {"url": "http://localhost:7474", "zzz": 1}, "repositories": [{"name": "o/r"}]}"#),
        ("dora", #"{"dora": {"zzz": 1}, "repositories": [{"name": "o/r"}]}"#),
        ("webhooks", #"{"webhooks": {"zzz": 1}, "repositories": [{"name": "o/r"}]}"#),
        ("repositories[]", #"{"repositories": [{"name": "o/r", "zzz": 1}]}"#),
        ("repositories[].sources", #"{"repositories": [{"name": "o/r", "sources": {"zzz": 1}}]}"#),
        ("repositories[].deployments", #"{"repositories": [{"name": "o/r", "deployments": {"zzz": 1}}]}"#),
        ("repositories[].incidents", #"{"repositories": [{"name": "o/r", "incidents": {"zzz": 1}}]}"#),
        ("repositories[].leadTime", #"{"repositories": [{"name": "o/r", "leadTime": {"zzz": 1}}]}"#),
        ("repositories[].incidents.alerts", #"{"repositories": [{"name": "o/r", "incidents": {"alerts": {"zzz": 1}}}]}"#),
        ("webhooks.alertmanager", #"{"webhooks": {"alertmanager": {"zzz": 1}}, "repositories": [{"name": "o/r"}]}"#),
        ("webhooks.alertmanager.basicAuth", #"{"webhooks": {"alertmanager": {"basicAuth": {"user": "u", "zzz": 1}}}, "repositories": [{"name": "o/r"}]}"#),
        ("groups[]", #"{"repositories": [{"name": "o/r"}], "groups": [{"name": "g", "repositories": ["o/r"], "zzz": 1}]}"#),
        ("github.app", #"{"github": {"app": {"id": 1, "privateKeyFile": "/app/key.pem", "zzz": 1}}, "repositories": [{"name": "o/r"}]}"#),
        ("github.apps[]", #"{"github": {"apps": [{"id": 1, "privateKeyFile": "/app/key.pem", "zzz": 1}]}, "repositories": [{"name": "o/r"}]}"#),
        (
            "github.tokens[]",
            #"{"github": {"tokens": [{"name": "t", "tokenFile": "/app/token", "owners": ["o"], "zzz": 1}]}, "repositories": [{"name": "o/r"}]}"#
        ),
        ("organizations[]", #"{"organizations": [{"name": "acme", "zzz": 1}]}"#),
        (
            "organizations[].overrides[]",
            #"{"organizations": [{"name": "acme", "overrides": [{"repositories": ["web"], "settings": {}, "zzz": 1}]}]}"#
        ),
    ]

    /// The keys the loader accepts, asked of the loader: what an unknown key's error allows in each object.
    static func acceptedKeys() throws -> Set<String> {
        var keys: Set<String> = []
        let sectionPaths = Set(sections.map(\.path))
        for section in sections {
            do {
                _ = try load(section.json)
                Issue.record("an unknown key in '\(section.path)' was accepted")
            } catch {
                let allowed = try #require(error.message.components(separatedBy: "Allowed here: ").last?.dropLast())
                for name in allowed.components(separatedBy: ", ") {
                    let key = section.path.isEmpty ? name : "\(section.path).\(name)"
                    let isSection = sectionPaths.contains(key) || sectionPaths.contains(key + "[]")
                    if !isSection { keys.insert(key) }
                }
            }
        }
        return keys
    }

    @Test func theDocListsExactlyTheKeysTheLoaderAccepts() throws {
        let documented = Set(try Self.rows().flatMap(\.keys))
        let accepted = try Self.acceptedKeys()
        #expect(documented.subtracting(accepted).sorted() == [], "documented but not accepted")
        #expect(accepted.subtracting(documented).sorted() == [], "accepted but not documented")
    }

    @Test func theDocumentedDefaultsAreTheLoadersDefaults() throws {
        // The defaults of a minimal configuration, with the neo4j section and the `deployments` source added
        // where the keys exist only then.
        let effective = try [
            #"{"repositories": [{"name": "o/r"}]}"#,
            #"{"neo4j": {"url": "http://localhost:7474"}, "repositories": [{"name": "o/r", "deployments": {"source": "deployments"}}]}"#,
            #"{"webhooks": {"listenAddress": "127.0.0.1:9867", "secretFile": "/webhook/secret"}, "repositories": [{"name": "o/r"}]}"#,
            #"{"repositories": [{"name": "o/r", "incidents": {"source": "alerts"}}]}"#,
        ].map { json in
            try #require(try JSONSerialization.jsonObject(with: Data(Self.load(json).effectiveJSON().utf8)) as? [String: Any])
        }
        var checked = 0
        for row in try Self.rows() where !row.defaults.isEmpty {
            let defaults = row.defaults.count == row.keys.count ? row.defaults : Array(repeating: row.defaults[0], count: row.keys.count)
            for (key, documented) in zip(row.keys, defaults) {
                let value = try #require(effective.lazy.compactMap { Self.value(at: key, in: $0) }.first, "\(key) has no effective value")
                // `name` in the sources row: the repository's own name.
                let expected = documented == "name" ? "o/r" : documented
                if let string = value as? String {
                    // Durations compare as seconds (`7d` is `1w`); other strings as written.
                    let same = DurationText.parse(string).map { $0 == DurationText.parse(expected) } ?? (string == expected)
                    #expect(same, "default of \(key): \(string), documented \(expected)")
                } else {
                    #expect(Self.text(value) == Self.text(Self.parsed(expected)), "default of \(key)")
                }
                checked += 1
            }
        }
        #expect(checked >= 20)
    }

    @Test func theDocumentedBoundsAreTheLoadersBounds() throws {
        let rows = try Self.rows()
        for row in rows {
            for key in row.keys {
                guard let (lower, upper) = row.bounds else {
                    // No documented bound: an extreme number is not refused for being out of range.
                    guard let first = row.defaults.first, Double(first) != nil || DurationText.parse(first) != nil else { continue }
                    #expect(Self.outOfRange(key, "1000000000") == false, "\(key) has an undocumented bound")
                    continue
                }
                #expect(Self.outOfRange(key, lower) == false, "\(key) refuses its documented lower bound \(lower)")
                #expect(Self.outOfRange(key, upper) == false, "\(key) refuses its documented upper bound \(upper)")
                #expect(Self.outOfRange(key, Self.beyond(upper, by: 2)) == true, "\(key) accepts more than \(upper)")
                if let below = Self.below(lower) {
                    #expect(Self.outOfRange(key, below) == true, "\(key) accepts less than \(lower)")
                }
            }
        }
        #expect(rows.filter { $0.bounds != nil }.count == 14)
    }

    /// Whether loading `key` = `text` fails with an error naming the key (a value out of range).
    static func outOfRange(_ key: String, _ text: String) -> Bool {
        let value: Any = Double(text).map { $0 as Any } ?? text
        let root = setting(key.components(separatedBy: ".")[...], to: value, in: ["repositories": [["name": "o/r"]]])
        do {
            let data = try JSONSerialization.data(withJSONObject: root)
            _ = try load(String(decoding: data, as: UTF8.self))
            return false
        } catch let error as ConfigError {
            return error.key.hasSuffix(key.components(separatedBy: ".").last!) && error.message.contains("out of range")
        } catch {
            return false
        }
    }

    /// `object` with `value` at `path` (`repositories[]` is the first repository; a neo4j section gets its url).
    static func setting(_ path: ArraySlice<String>, to value: Any, in object: [String: Any]) -> [String: Any] {
        var object = object
        let head = path.first!
        if path.count == 1 {
            object[head] = value
        } else if head.hasSuffix("[]") {
            let name = String(head.dropLast(2))
            var items = object[name] as? [[String: Any]] ?? [[:]]
            items[0] = setting(path.dropFirst(), to: value, in: items[0])
            object[name] = items
        } else {
            var child = object[head] as? [String: Any] ?? [:]
            if head == "neo4j" { child["url"] = "http://localhost:7474" }
            object[head] = setting(path.dropFirst(), to: value, in: child)
        }
        return object
    }

    static func beyond(_ bound: String, by factor: Double) -> String {
        if let number = Int(bound) { return String(number + 1) }
        return "\(DurationText.parse(bound)! * factor)s"
    }

    static func below(_ bound: String) -> String? {
        if let number = Int(bound) { return String(number - 1) }
        let seconds = DurationText.parse(bound)!
        return seconds > 0 ? "\(seconds / 2)s" : nil
    }

    static func value(at key: String, in root: [String: Any]) -> Any? {
        var current: Any? = root
        for component in key.components(separatedBy: ".") {
            if component.hasSuffix("[]") {
                current = ((current as? [String: Any])?[String(component.dropLast(2))] as? [Any])?.first
            } else {
                current = (current as? [String: Any])?[component]
            }
        }
        return current
    }

    static func parsed(_ text: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? text
    }

    /// A canonical text for comparing JSON values: both sides come from JSONSerialization, so the same value
    /// serialises the same way.
    static func text(_ value: Any) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }
}
