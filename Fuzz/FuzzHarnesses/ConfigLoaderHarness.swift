import Foundation
import TwinConfig

/// `config.json` text, loaded with an environment and secret files whose every secret contains a marker.
/// Properties: loading returns a configuration or throws a `ConfigError` naming what is wrong (never traps);
/// no secret appears in an error, a warning or the effective configuration; the effective configuration
/// loads again to itself (what `check-config` promises); the prototype converter writes JSON or says why not.
enum ConfigLoaderHarness {
    static let harness = FuzzHarness(
        name: "config",
        summary: "config.json text through ConfigLoader and PrototypeConfigConverter",
        check: check)

    /// Part of every secret the loader can read; an input that itself contains it is not checked for leaks.
    static let marker = "fz7Secret3q"

    static let loader = ConfigLoader(
        environment: [
            "GITHUB_TOKEN": "ghp_\(marker)token",
            "NEO4J_PASSWORD": "neo4j-\(marker)",
            "DEVOPS_TWIN_WEBHOOK_SECRET": "hook-\(marker)",
            "FUZZ_TOKEN": "env-\(marker)",
            "FUZZ_PRIVATE_KEY": "-----BEGIN RSA PRIVATE KEY-----\n\(marker)\n-----END RSA PRIVATE KEY-----\n",
        ],
        now: Date(timeIntervalSince1970: 1_767_225_600),
        readSecretFile: { path in path.hasPrefix("/missing") ? nil : "file-\(marker)" })

    static func check(_ data: Data) throws(HarnessViolation) {
        let mayLeak = !String(decoding: data, as: UTF8.self).contains(marker)
        func leakCheck(_ text: String, _ what: String) throws(HarnessViolation) {
            guard mayLeak, text.contains(marker) else { return }
            throw HarnessViolation("no secret in \(what)", text)
        }
        do {
            let loaded = try loader.load(data: data, origin: "fuzz.json")
            for warning in loaded.warnings { try leakCheck(warning, "a warning") }
            let effective = loaded.configuration.effectiveJSON()
            try leakCheck(effective, "the effective configuration")
            try reloads(effective)
        } catch let error as ConfigError {
            guard !error.message.isEmpty else { throw HarnessViolation("a ConfigError says what is wrong", "empty message for key '\(error.key)'") }
            try leakCheck(error.description, "an error")
        } catch let violation as HarnessViolation {
            throw violation
        } catch {
            throw HarnessViolation("the loader throws only ConfigError", "\(type(of: error)): \(error)")
        }
        do {
            let converted = try PrototypeConfigConverter.convert(data: data)
            guard (try? JSONSerialization.jsonObject(with: Data(converted.json.utf8))) is [String: Any] else {
                throw HarnessViolation("the prototype converter writes a JSON object", converted.json)
            }
            try leakCheck(converted.json, "the converted configuration")
        } catch let error as ConfigError {
            try leakCheck(error.description, "a conversion error")
        } catch let violation as HarnessViolation {
            throw violation
        } catch {
            throw HarnessViolation("the converter throws only ConfigError", "\(type(of: error)): \(error)")
        }
    }

    /// `check-config`'s output loads again, under the same environment, to the same effective configuration.
    static func reloads(_ effective: String) throws(HarnessViolation) {
        let again: LoadedConfiguration
        do {
            again = try loader.load(data: Data(effective.utf8), origin: "effective.json")
        } catch {
            throw HarnessViolation("the effective configuration loads again", "\(error)\n\(effective)")
        }
        let second = again.configuration.effectiveJSON()
        guard second == effective else {
            throw HarnessViolation("the effective configuration is a fixed point", "first:\n\(effective)\nthen:\n\(second)")
        }
    }
}
