import AsyncHTTPClient
import GitHubAPI

/// An HTTP client for the life of a command, shut down when the body returns.
enum HTTPClientScope {
    static func with<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        var configuration = GitHubClient.httpClientConfiguration()
        // A refused connection (Neo4j or GitHub down) fails after this, then our own retries and backoff apply.
        configuration.timeout.connect = .seconds(5)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(httpClient)
            try? await httpClient.shutdown()
            return result
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
    }
}
