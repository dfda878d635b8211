import Foundation
import TwinConfig

/// `config.json` text, loaded with an environment and secret files whose every secret contains a marker, and
/// again with no environment at all. Properties: loading returns a configuration or throws a `ConfigError`
/// naming what is wrong (never traps); no secret appears in an error, a warning or the effective configuration;
/// the effective configuration (`check-config`) loads again, under the same environment, to itself; the
/// prototype converter writes a JSON object or says why not.
enum ConfigLoaderHarness {
    static let harness = FuzzHarness(
        name: "config",
        summary: "config.json text through ConfigLoader and PrototypeConfigConverter",
        check: check)

    /// Part of every secret the loader can read; an input that itself contains it is not checked for leaks.
    static let marker = "fz7Secret3q"

    static let environment = [
        "GITHUB_TOKEN": "ghp_\(marker)token",
        "NEO4J_PASSWORD": "neo4j-\(marker)",
        "DEVOPS_TWIN_WEBHOOK_SECRET": "hook-\(marker)",
        "FUZZ_TOKEN": "env-\(marker)",
        "FUZZ_PRIVATE_KEY": "-----BEGIN RSA PRIVATE KEY-----\n\(marker)\n-----END RSA PRIVATE KEY-----\n",
    ]

    /// With every secret variable set, and with none (secret files stay readable, except under `/missing`).
    static let loaders = [environment, [:]].map { environment in
        ConfigLoader(
            environment: environment, now: Date(timeIntervalSince1970: 1_767_225_600),
            readSecretFile: { path in path.hasPrefix("/missing") ? nil : "file-\(marker)" })
    }

    static func check(_ data: Data) throws(HarnessViolation) {
        let leaks = SecretLeakCheck(marker: marker, input: data)
        for loader in loaders {
            try load(data, with: loader, leaks: leaks)
        }
        do {
            let converted = try PrototypeConfigConverter.convert(data: data)
            guard (try? JSONSerialization.jsonObject(with: Data(converted.json.utf8))) is [String: Any] else {
                throw HarnessViolation("the prototype converter writes a JSON object", converted.json)
            }
            try leaks.check(converted.json, "the converted configuration")
        } catch let error as ConfigError {
            try leaks.check(error.description, "a conversion error")
        } catch let violation as HarnessViolation {
            throw violation
        } catch {
            throw HarnessViolation("the converter throws only ConfigError", "\(type(of: error)): \(error)")
        }
    }

    static func load(_ data: Data, with loader: ConfigLoader, leaks: SecretLeakCheck) throws(HarnessViolation) {
        do {
            let loaded = try loader.load(data: data, origin: "fuzz.json")
            for warning in loaded.warnings { try leaks.check(warning, "a warning") }
            let effective = loaded.configuration.effectiveJSON()
            try leaks.check(effective, "the effective configuration")
            try reloads(effective, with: loader)
        } catch let error as ConfigError {
            guard !error.message.isEmpty else { throw HarnessViolation("a ConfigError says what is wrong", "empty message for key '\(error.key)'") }
            try leaks.check(error.description, "an error")
        } catch let violation as HarnessViolation {
            throw violation
        } catch {
            throw HarnessViolation("the loader throws only ConfigError", "\(type(of: error)): \(error)")
        }
    }

    /// `check-config`'s output loads again, under the same environment, to the same effective configuration.
    static func reloads(_ effective: String, with loader: ConfigLoader) throws(HarnessViolation) {
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
