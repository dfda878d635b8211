import Backoff
import Testing

@Suite struct BackoffPolicyTests {
    @Test func doublesFromTheInitialWaitUpToTheCap() {
        let policy = BackoffPolicy(initial: .seconds(2), maximum: .seconds(10), maxRetries: 5)
        #expect((1...5).map { policy.delay(retry: $0) } == [.seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
    }

    @Test func aCapBelowTheInitialWaitIsRaisedToIt() {
        let policy = BackoffPolicy(initial: .seconds(60), maximum: .seconds(30), maxRetries: 2)
        #expect(policy.delay(retry: 1) == .seconds(60))
        #expect(policy.delay(retry: 2) == .seconds(60))
    }

    @Test func retriesTransientFailuresUpToTheLimitThenThrows() async {
        struct Failure: Error { var transient: Bool }
        let policy = BackoffPolicy(initial: .milliseconds(500), maximum: .seconds(1), maxRetries: 3)
        var attempts = 0
        var waits: [Duration] = []
        await #expect(throws: Failure.self) {
            try await policy.run(
                { () async throws(Failure) -> Int in
                    attempts += 1
                    throw Failure(transient: true)
                }, isTransient: \.transient, wait: { (delay, _, _) throws(Failure) in waits.append(delay) })
        }
        #expect(attempts == 4)
        #expect(waits == [.milliseconds(500), .seconds(1), .seconds(1)])
    }

    @Test func aPermanentFailureIsNotRetried() async {
        struct Failure: Error { var transient: Bool }
        let policy = BackoffPolicy(initial: .seconds(1), maximum: .seconds(1), maxRetries: 3)
        var attempts = 0
        await #expect(throws: Failure.self) {
            try await policy.run(
                { () async throws(Failure) -> Int in
                    attempts += 1
                    throw Failure(transient: false)
                }, isTransient: \.transient, wait: { (_, _, _) throws(Failure) in })
        }
        #expect(attempts == 1)
    }
}
