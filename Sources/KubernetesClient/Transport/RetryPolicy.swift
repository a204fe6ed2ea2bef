/// How often and how long a failed call is retried: on transport errors, 429 and 500/502/503/504, with
/// exponential backoff and jitter, bounded by attempts and by total time.
///
/// Defaults: 5 attempts, waits of 200 ms, 400 ms, 800 ms, 1.6 s (each plus up to 50 % jitter, at most 5 s), all
/// within 30 s — long enough to ride out an API server restart behind a load balancer, short enough that a
/// healing step (every 30 s) is not held up by one call. A `Retry-After` is waited as given, unless it would end
/// beyond the total time, in which case the call fails at once with `tooManyRequests(retryAfter:)`.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 disables retries.
    public var maxAttempts: Int
    /// The wait before the first retry; doubled for each further retry.
    public var initialDelay: Duration
    /// No single wait is longer (jitter included), except a server's `Retry-After`.
    public var maxDelay: Duration
    /// No retry starts later than this after the first attempt started.
    public var maxTotal: Duration
    /// Up to this fraction of the wait is added at random, so that clients that failed together retry apart.
    public var jitter: Double

    public init(
        maxAttempts: Int = 5, initialDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5),
        maxTotal: Duration = .seconds(30), jitter: Double = 0.5
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxTotal = maxTotal
        self.jitter = max(0, jitter)
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before retry number `retry` (1 for the first retry), given a `random` value in `0..<1`:
    /// `min(maxDelay, initialDelay × 2^(retry−1) × (1 + jitter × random))`.
    public func delay(beforeRetry retry: Int, random: Double) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let base = initialDelay * (1 << exponent)
        let jittered = base * (1 + jitter * min(max(random, 0), 1))
        return min(maxDelay, jittered)
    }
}
