import Foundation
import Testing

@testable import TwinConfig

/// `webhooks.peerUrlTemplate`: where a shard forwards a delivery about another shard's repository.
@Suite struct WebhookPeerSettingsTests {
    static func webhooks(_ extra: String) throws(ConfigError) -> WebhookSettings? {
        let json = #"{"webhooks": {"listenAddress": "0.0.0.0:9867"\#(extra)}, "repositories": [{"name": "o/r"}]}"#
        let loader = ConfigLoader(environment: ["DEVOPS_TWIN_WEBHOOK_SECRET": "s"], readSecretFile: { _ in nil })
        return try loader.load(data: Data(json.utf8)).configuration.webhooks
    }

    @Test func theDefaultIsTheStatefulSetsPodThroughTheHeadlessServiceOnTheReceiversPort() throws {
        let settings = try #require(try Self.webhooks(""))
        #expect(settings.peerURL(ordinal: 3) == "http://devops-twin-3.devops-twin-headless:9867/webhooks/github")
        var tls = settings
        tls.useExporterTLS = true
        #expect(tls.peerURL(ordinal: 0) == "https://devops-twin-0.devops-twin-headless:9867/webhooks/github")
    }

    @Test func aConfiguredTemplateReplacesTheOrdinalAndThePort() throws {
        let settings = try #require(try Self.webhooks(#", "peerUrlTemplate": "http://127.0.0.1{ordinal}:{port}/webhooks/github""#))
        #expect(settings.peerURL(ordinal: 2) == "http://127.0.0.12:9867/webhooks/github")
    }

    @Test(arguments: ["devops-twin-{ordinal}:9867", "http://devops-twin-0.devops-twin-headless:9867/webhooks/github", "ftp://{ordinal}"])
    func aTemplateThatIsNotAnHTTPURLWithTheOrdinalIsRefused(template: String) {
        #expect {
            try Self.webhooks(#", "peerUrlTemplate": "\#(template)""#)
        } throws: { error in
            (error as? ConfigError)?.key == "webhooks.peerUrlTemplate"
        }
    }
}
