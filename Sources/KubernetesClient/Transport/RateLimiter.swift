import Synchronization

/// The client-side rate limit shared by every call of one client (`kubernetes.qps`, `kubernetes.burst`):
/// each attempt, retries included, takes a token from one `TokenBucket` and waits on the injected clock until
/// its token is due.
final class RateLimiter: Sendable {
    private let bucket: Mutex<TokenBucket>
    private let clock: any RequestClock

    init(qps: Double, burst: Int, clock: any RequestClock) {
        bucket = Mutex(TokenBucket(qps: qps, burst: burst))
        self.clock = clock
    }

    /// Waits for a token; throws `CancellationError` when cancelled while waiting.
    func acquire() async throws {
        let now = clock.now()
        let wait = bucket.withLock { $0.reserve(at: now) }
        if wait > .zero {
            try await clock.sleep(for: wait)
        }
    }
}
