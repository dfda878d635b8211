import AsyncHTTPClient
import Foundation
import GitHubAPI
import Logging
import Synchronization

/// Records every wait the client asks for instead of sleeping; optionally advances a fake clock.
final class SleepRecorder: Sendable {
    private let waits = Mutex<[Duration]>([])
    private let clock: FakeClock?

    init(clock: FakeClock? = nil) { self.clock = clock }

    var recorded: [Duration] { waits.withLock { $0 } }

    @Sendable func sleep(_ duration: Duration) async throws {
        try Task.checkCancellation()
        waits.withLock { $0.append(duration) }
        clock?.advance(by: duration)
    }
}

/// A settable clock for rate-limit resets.
final class FakeClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(by duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

enum ClientHarness {
    static let token = "test-SECRETtoken0123456789abcdefghijklmnop"

    static func quietLogger() -> Logger {
        var logger = Logger(label: "github-client-test")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `body` with a client on `baseURL` whose waits go to the returned recorder; shuts the HTTP client down.
    static func withClient<T: Sendable>(
        baseURL: String, token: String? = ClientHarness.token,
        clock: FakeClock? = nil,
        configure: (inout GitHubClientConfiguration) -> Void = { _ in },
        sleep: (@Sendable (Duration) async throws -> Void)? = nil,
        httpConfiguration: HTTPClient.Configuration = GitHubClient.httpClientConfiguration(),
        _ body: (GitHubClient, SleepRecorder) async throws -> T
    ) async throws -> T {
        var configuration = GitHubClientConfiguration(baseURL: baseURL, token: token)
        configuration.requestTimeout = .seconds(10)
        configure(&configuration)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        let recorder = SleepRecorder(clock: clock)
        let fakeNow = clock
        let client = GitHubClient(
            configuration: configuration, httpClient: httpClient, logger: quietLogger(),
            sleep: sleep ?? recorder.sleep,
            now: { fakeNow?.now ?? Date() })
        do {
            let result = try await body(client, recorder)
            try await httpClient.shutdown()
            return result
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
    }

    /// Expects `operation` to throw a GitHubError and returns it.
    static func expectGitHubError(_ operation: () async throws -> Void) async -> GitHubError? {
        do {
            try await operation()
            return nil
        } catch let error as GitHubError {
            return error
        } catch {
            return nil
        }
    }
}
