import KubernetesClient
import Testing

/// The token bucket with the time passed in: burst, then qps, and refill while idle.
@Suite struct TokenBucketTests {
    @Test func burst_goesThroughAtOnce_thenOneTokenPerInterval() {
        var bucket = TokenBucket(qps: 10, burst: 2)

        let waits = (0..<5).map { _ in bucket.reserve(at: .zero) }

        #expect(waits == [.zero, .zero, .milliseconds(100), .milliseconds(200), .milliseconds(300)])
    }

    @Test func idleTime_refillsUpToTheBurstOnly() {
        var bucket = TokenBucket(qps: 10, burst: 3)
        for _ in 0..<3 { _ = bucket.reserve(at: .zero) }

        let waits = (0..<4).map { _ in bucket.reserve(at: .seconds(60)) }

        #expect(waits == [.zero, .zero, .zero, .milliseconds(100)])
    }

    @Test func reservations_inTheFuture_areCountedWhenTheTimeComes() {
        var bucket = TokenBucket(qps: 2, burst: 1)

        #expect(bucket.reserve(at: .zero) == .zero)
        #expect(bucket.reserve(at: .zero) == .milliseconds(500))
        // At 0.5 s the reserved token is used: the next one is due at 1 s.
        #expect(bucket.reserve(at: .milliseconds(500)) == .milliseconds(500))
        #expect(bucket.reserve(at: .seconds(2)) == .zero)
    }

    @Test func steadyRate_atQPS_neverWaits() {
        var bucket = TokenBucket(qps: 20, burst: 1)

        let waits = (0..<100).map { bucket.reserve(at: .milliseconds(50 * $0)) }

        #expect(waits.allSatisfy { $0 == .zero })
    }
}
