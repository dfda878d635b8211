import Foundation
import Testing

@testable import TwinConfig

/// `check-config`'s effective configuration loads again to itself (found by the `config` fuzz harness: the
/// effective text of a configuration with App or token credentials did not load, because it named neither the
/// secret's file nor its variable). Secrets stay redacted; their source is a path or a variable name.
@Suite struct EffectiveConfigurationReloadTests {
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/Regressions/config")

    static let pem = "-----BEGIN RSA PRIVATE KEY-----\nTUlJ\n-----END RSA PRIVATE KEY-----\n"

    static func loader(environment: [String: String]) -> ConfigLoader {
        ConfigLoader(environment: environment, now: Date(timeIntervalSince1970: 1_767_225_600), readSecretFile: { path in
            path.hasSuffix(".pem") ? pem : "s3cret-from-\(path.split(separator: "/").last ?? "")"
        })
    }

    /// Loads `data`, then its effective configuration, and returns both effective texts.
    static func roundTrip(_ data: Data, environment: [String: String] = [:]) throws -> (first: String, second: String) {
        let loader = loader(environment: environment)
        let first = try loader.load(data: data, origin: "test").configuration.effectiveJSON()
        let second = try loader.load(data: Data(first.utf8), origin: "effective").configuration.effectiveJSON()
        return (first, second)
    }

    @Test("the fuzzer's input: App and token credentials from variables and files load again from the effective text")
    func fuzzRegression() throws {
        let data = try Data(contentsOf: Self.regressions.appendingPathComponent("app-and-token-credentials-reload.json"))
        let environment = ["FUZZ_TOKEN": "ghp_envToken", "FUZZ_PRIVATE_KEY": Self.pem]
        let (first, second) = try Self.roundTrip(data, environment: environment)
        #expect(second == first)
        #expect(first.contains(#""tokenEnv": "FUZZ_TOKEN""#))
        #expect(first.contains(#""privateKeyEnv": "FUZZ_PRIVATE_KEY""#))
        #expect(first.contains(#""tokenFile": "/missiog/ktnen""#))
        #expect(!first.contains("ghp_envToken") && !first.contains("TUlJ") && !first.contains("s3cret"))
    }

    @Test("every secret file the configuration names is named again, never read out")
    func secretFiles() throws {
        let json = #"""
            {"github": {"tokenFile": "/run/secrets/github", "app": {"id": 7, "privateKeyFile": "/run/secrets/app.pem"},
                        "tokens": [{"name": "ops", "tokenFile": "/run/secrets/ops", "owners": ["ops-org"]}]},
             "exporter": {"basicAuth": {"user": "prometheus", "passwordFile": "/run/secrets/metrics"}},
             "neo4j": {"url": "http://127.0.0.1:7474", "passwordFile": "/run/secrets/neo4j"},
             "webhooks": {"listenAddress": "127.0.0.1:9867", "secretFile": "/run/secrets/webhook"},
             "repositories": [{"name": "o/r"}]}
            """#
        let (first, second) = try Self.roundTrip(Data(json.utf8))
        #expect(second == first)
        for path in ["/run/secrets/github", "/run/secrets/app.pem", "/run/secrets/ops", "/run/secrets/metrics", "/run/secrets/neo4j", "/run/secrets/webhook"] {
            #expect(first.contains("\"\(path)\""), "\(path) is not named")
        }
        #expect(!first.contains("s3cret") && !first.contains("TUlJ"))
    }

    @Test("secrets from the fixed variables are not written: the variable applies again on load")
    func fixedVariables() throws {
        let json = #"{"webhooks": {"listenAddress": "127.0.0.1:9867"}, "repositories": [{"name": "o/r"}]}"#
        let environment = ["GITHUB_TOKEN": "ghp_fixed", "DEVOPS_TWIN_WEBHOOK_SECRET": "hook-secret", "GITHUB_APP_ID": "9", "GITHUB_APP_PRIVATE_KEY": Self.pem]
        let (first, second) = try Self.roundTrip(Data(json.utf8), environment: environment)
        #expect(second == first)
        #expect(!first.contains("tokenFile") && !first.contains("secretFile"))
        #expect(!first.contains("ghp_fixed") && !first.contains("hook-secret") && !first.contains("TUlJ"))
    }
}
