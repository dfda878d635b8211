import ArgumentParser
import Foundation
import TwinRuntime

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daemon: scheduled sync (+ Neo4j projection) and the /metrics exporter; SIGTERM/SIGINT stop it gracefully."
    )

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let logger = options.makeLogger()
        try await CommandFailure.reporting {
            let configuration = try options.loadConfiguration(logger: logger, allowingSurplus: true)
            let store = try configuration.openStore(logger: logger)
            let daemon = TwinDaemon(configuration: configuration, store: store, build: BuildInfo.exported, logger: logger)
            try await HTTPClientScope.with { httpClient in
                try await daemon.run(
                    httpClient: httpClient,
                    onListening: { port in
                        let scheme = configuration.exporter.tls == nil ? "http" : "https"
                        logger.info("serving metrics", metadata: ["address": "\(scheme)://\(configuration.exporter.listenHost):\(port)/metrics"])
                    },
                    onWebhookListening: { port in
                        let scheme = configuration.webhooks?.useExporterTLS == true ? "https" : "http"
                        logger.info(
                            "receiving webhooks",
                            metadata: ["address": "\(scheme)://\(configuration.webhooks?.listenHost ?? ""):\(port)/webhooks/github"])
                    })
            }
            logger.info("stopped")
        }
    }
}
