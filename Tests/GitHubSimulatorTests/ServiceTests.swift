import AsyncHTTPClient
import Foundation
import GitHubSimulator
import Logging
import ServiceLifecycle
import Testing

@Suite("Simulated GitHub as a Service")
struct ServiceTests {
    @Test("the service serves in a ServiceGroup, reports its base URL, and stops when the group is cancelled")
    func runsInServiceGroup() async throws {
        var logger = Logger(label: "simulator-service-test")
        logger.logLevel = .critical
        let github = SimulatedGitHub(repositories: [Fixtures.repository(commits: 40)])
        let (urls, continuation) = AsyncStream.makeStream(of: String.self)
        let service = GitHubSimulatorService(github: github, logger: logger) { continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = urls.makeAsyncIterator()
            let baseURL = try #require(await iterator.next())
            #expect(baseURL.hasPrefix("http://127.0.0.1:") && !baseURL.hasSuffix(":0"))
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(baseURL)/repos/acme/widgets/commits?per_page=3"), timeout: .seconds(10))
            #expect(response.status.code == 200)
            _ = try await response.body.collect(upTo: 1 << 20)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(github.requestLog.count == 1)
    }
}
