/// How the client behaves, each with its default; the app sets `qps` and `burst` from `kubernetes.qps` and
/// `kubernetes.burst`, tests inject the clock and the random source.
public struct KubernetesClientOptions: Sendable {
    /// Requests per second on average, across all calls (client-side rate limit). Default 20.
    public var qps: Double
    /// Requests allowed at once before the rate applies. Default 40.
    public var burst: Int
    /// Retries with backoff; see `RetryPolicy` for its defaults.
    public var retry: RetryPolicy
    /// Time to establish the TCP and TLS connection. Default 10 s.
    public var connectTimeout: Duration
    /// Time for one whole exchange, connecting included. Default 60 s (a page of 500 nodes is ~7 MB).
    public var requestTimeout: Duration
    /// A token file is re-read when the token in hand is older. Default 60 s (as client-go).
    public var tokenRefreshInterval: Duration
    /// Connections kept open for reuse. Default 4.
    public var maxIdleConnections: Int
    /// Larger answers are refused. Default 256 MiB.
    public var maxBodyBytes: Int
    /// The clock of backoff and rate-limit waits and of the token re-read.
    public var clock: any RequestClock
    /// Values in `0..<1` for the backoff jitter.
    public var random: @Sendable () -> Double
    /// Added to the User-Agent in parentheses (`cops-vigilante/1.3.0 (replica-a)`), so that the API server's audit
    /// log tells replicas apart. Must hold no control character.
    public var userAgentComment: String?

    public init(
        qps: Double = 20, burst: Int = 40, retry: RetryPolicy = RetryPolicy(), connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(60), tokenRefreshInterval: Duration = .seconds(60),
        maxIdleConnections: Int = 4, maxBodyBytes: Int = 256 << 20, clock: any RequestClock = ContinuousRequestClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, userAgentComment: String? = nil
    ) {
        self.qps = qps
        self.burst = burst
        self.retry = retry
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.tokenRefreshInterval = tokenRefreshInterval
        self.maxIdleConnections = maxIdleConnections
        self.maxBodyBytes = maxBodyBytes
        self.clock = clock
        self.random = random
        self.userAgentComment = userAgentComment
    }
}
