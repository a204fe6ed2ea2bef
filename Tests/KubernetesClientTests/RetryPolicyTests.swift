import KubernetesClient
import Testing

/// The backoff sequence as a pure function of the retry number and the random value.
@Suite struct RetryPolicyTests {
    @Test func delays_doubleFromTheInitialDelay_withoutJitter() {
        let policy = RetryPolicy(initialDelay: .milliseconds(100), maxDelay: .seconds(10), jitter: 0.5)

        let delays = (1...5).map { policy.delay(beforeRetry: $0, random: 0) }

        #expect(
            delays == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600),
            ])
    }

    @Test func jitter_addsAtMostItsFraction() {
        let policy = RetryPolicy(initialDelay: .milliseconds(100), maxDelay: .seconds(10), jitter: 0.5)

        #expect(policy.delay(beforeRetry: 1, random: 0.5) == .milliseconds(125))
        #expect(policy.delay(beforeRetry: 3, random: 1) == .milliseconds(600))
    }

    @Test func delays_areCappedAtMaxDelay_jitterIncluded() {
        let policy = RetryPolicy(initialDelay: .seconds(1), maxDelay: .seconds(5), jitter: 0.5)

        #expect(policy.delay(beforeRetry: 3, random: 1) == .seconds(5))
        #expect(policy.delay(beforeRetry: 60, random: 0) == .seconds(5))
    }

    @Test func defaults_areDocumented() {
        let policy = RetryPolicy()

        #expect(policy.maxAttempts == 5)
        #expect(policy.maxTotal == .seconds(30))
        #expect(
            (1...4).map { policy.delay(beforeRetry: $0, random: 0) } == [
                .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600),
            ])
    }
}
