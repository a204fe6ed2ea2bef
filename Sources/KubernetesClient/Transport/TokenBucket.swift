/// A token bucket: `burst` requests at once, then `qps` per second on average. Reservations may run the bucket
/// below zero: each caller is told how long to wait for its own token, so waiting callers are served in the
/// order they asked (as Go's `rate.Limiter.Reserve`, which client-go's limiter uses).
///
/// A value type with the time passed in, so that it is tested without a clock.
public struct TokenBucket: Sendable, Equatable {
    public let qps: Double
    public let burst: Int
    private var tokens: Double
    private var updatedAt: Duration?

    /// Starts full.
    public init(qps: Double, burst: Int) {
        self.qps = max(qps, 0.001)
        self.burst = max(burst, 1)
        tokens = Double(self.burst)
    }

    /// Takes one token at time `now`; returns how long the caller must wait before using it (zero when one was
    /// there).
    public mutating func reserve(at now: Duration) -> Duration {
        if let updatedAt, now > updatedAt {
            tokens = min(Double(burst), tokens + (now - updatedAt) / .seconds(1) * qps)
        }
        updatedAt = max(updatedAt ?? now, now)
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .seconds(-tokens / qps)
    }
}
