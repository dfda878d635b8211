import Foundation
import GitHubAPI
import Synchronization
import Testing

@Suite("Timeouts, broken connections, cancellation and serialisation")
struct TransportTests {
    @Test("a server that never answers hits requestTimeout, is retried, then throws .timeout")
    func timeoutIsRetriedThenThrown() async throws {
        try await ScriptedServer.with([.hang]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, configure: {
                $0.requestTimeout = .milliseconds(200)
                $0.maxRetries = 1
            }) { client, sleeps in
                let tally = RequestTally()
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/o/r/commits", tally: tally) }
                #expect(error?.kind == .timeout)
                #expect(error?.endpoint == "/repos/o/r/commits")
                #expect(tally.countsByStatus == ["error": 2])
                #expect(sleeps.recorded == [.seconds(1)])
            }
        }
    }

    @Test("a timeout followed by an answer succeeds")
    func timeoutThenSuccess() async throws {
        try await ScriptedServer.with([.hang, .json(200, "[]")]) { server in
            // A deadline long enough that the answering attempt meets it even on a loaded machine.
            try await ClientHarness.withClient(baseURL: server.baseURL, configure: { $0.requestTimeout = .seconds(2) }) { client, _ in
                let tally = RequestTally()
                let response = try await client.get("/repos/o/r/tags", tally: tally)
                #expect(response.status == 200)
                #expect(tally.countsByStatus == ["error": 1, "200": 1])
            }
        }
    }

    @Test("a truncated body is a transport failure that is retried")
    func truncatedBodyIsRetried() async throws {
        try await ScriptedServer.with([
            .truncated(body: #"[{"name": "v1", "com"#, declaredLength: 500), .json(200, #"[{"name": "v1", "commit": {"sha": "abc"}}]"#),
        ]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, sleeps in
                let tally = RequestTally()
                let response = try await client.get("/repos/o/r/tags", tally: tally)
                let tags = try client.decode([GitHubTag].self, from: response)
                #expect(tags == [GitHubTag(name: "v1", commit: .init(sha: "abc"))])
                #expect(tally.countsByStatus == ["error": 1, "200": 1])
                #expect(sleeps.recorded == [.seconds(1)])
            }
        }
    }

    @Test("truncated bodies on every attempt end in .transport")
    func truncatedBodiesExhaustRetries() async throws {
        try await ScriptedServer.with([.truncated(body: "[", declaredLength: 100)]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, configure: { $0.maxRetries = 2 }) { client, sleeps in
                let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/o/r/tags") }
                #expect(error?.kind == .transport)
                #expect(sleeps.recorded == [.seconds(1), .seconds(2)])
            }
        }
    }

    @Test("a refused connection is retried and ends in .transport naming the endpoint")
    func connectionRefused() async throws {
        // Port 1 on loopback: nothing listens there. AsyncHTTPClient keeps retrying the connection
        // until the request deadline, so a short deadline keeps the test quick.
        try await ClientHarness.withClient(baseURL: "http://127.0.0.1:1", configure: {
            $0.maxRetries = 2
            $0.requestTimeout = .milliseconds(300)
        }) { client, sleeps in
            let tally = RequestTally()
            let error = await ClientHarness.expectGitHubError { _ = try await client.get("/repos/o/r", tally: tally) }
            #expect(error?.kind == .transport || error?.kind == .timeout)
            #expect(error?.endpoint == "/repos/o/r")
            #expect(tally.countsByStatus == ["error": 3])
            #expect(sleeps.recorded.count == 2)
        }
    }

    @Test("malformed JSON in a 200 is returned, and decoding it throws .malformedResponse naming the endpoint")
    func malformedJSON() async throws {
        try await ScriptedServer.with([.json(200, #"[{"sha": "abc", "parents": [}"#)]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, _ in
                let response = try await client.get("/repos/o/r/commits?sha=main")
                #expect(throws: GitHubError.self) { try client.decode([GitHubCommit].self, from: response) }
                do {
                    _ = try client.decode([GitHubCommit].self, from: response)
                } catch let error as GitHubError {
                    #expect(error.kind == .malformedResponse)
                    #expect(error.endpoint == "/repos/o/r/commits?sha=main")
                    #expect(error.description.contains("/repos/o/r/commits?sha=main"))
                }
            }
        }
    }

    @Test("cancelling a caller during an in-flight request throws .cancelled promptly")
    func cancelInFlight() async throws {
        try await ScriptedServer.with([.hang]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, configure: { $0.requestTimeout = .seconds(60) }) { client, _ in
                let task = Task { try await client.get("/repos/o/r/commits") }
                await server.firstRequest.wait()
                let started = ContinuousClock.now
                task.cancel()
                let result = await task.result
                #expect(ContinuousClock.now - started < .seconds(30))
                switch result {
                case .success: Issue.record("expected cancellation")
                case .failure(let error): #expect((error as? GitHubError)?.kind == .cancelled)
                }
            }
        }
    }

    @Test("cancelling a caller during a backoff sleep throws .cancelled")
    func cancelDuringSleep() async throws {
        let sleeping = Latch()
        let realSleep: @Sendable (Duration) async throws -> Void = { _ in
            sleeping.open()
            try await Task.sleep(for: .seconds(3600))
        }
        try await ScriptedServer.with([.json(503, "{}")]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, sleep: realSleep) { client, _ in
                let task = Task { try await client.get("/repos/o/r") }
                await sleeping.wait()
                task.cancel()
                let result = await task.result
                switch result {
                case .success: Issue.record("expected cancellation")
                case .failure(let error): #expect((error as? GitHubError)?.kind == .cancelled)
                }
                #expect(server.received.count == 1)
            }
        }
    }

    @Test("a caller cancelled while queued behind another request leaves without sending")
    func cancelWhileQueued() async throws {
        try await ScriptedServer.with([.hang, .json(200, "[]")]) { server in
            try await ClientHarness.withClient(baseURL: server.baseURL, configure: { $0.requestTimeout = .seconds(60) }) { client, _ in
                let first = Task { try await client.get("/first") }
                await server.firstRequest.wait()
                let second = Task { try await client.get("/second") }
                second.cancel()
                let secondResult = await second.result
                #expect(((try? secondResult.get()) == nil))
                if case .failure(let error) = secondResult { #expect((error as? GitHubError)?.kind == .cancelled) }
                first.cancel()
                _ = await first.result
                #expect(server.received.map(\.pathAndQuery) == ["/first"])
            }
        }
    }

    @Test("concurrent gets through one client never overlap at the server")
    func requestsAreSerialised() async throws {
        let inFlight = Mutex((current: 0, maximum: 0))
        let server = try await LoopbackServer.start { _, _ in
            inFlight.withLock { state in
                state.current += 1
                state.maximum = max(state.maximum, state.current)
            }
            // Keep the request open briefly so that an unserialised client would overlap.
            try await Task.sleep(for: .milliseconds(40))
            inFlight.withLock { $0.current -= 1 }
            return .json(200, "[]")
        }
        do {
            try await ClientHarness.withClient(baseURL: server.baseURL) { client, _ in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<6 {
                        group.addTask { try await client.get("/repos/o/r/issues?page=\(index)").status }
                    }
                    for try await status in group { #expect(status == 200) }
                }
            }
            #expect(inFlight.withLock { $0.maximum } == 1)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
