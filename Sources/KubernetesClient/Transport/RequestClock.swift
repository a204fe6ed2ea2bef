/// The time source of the client's waits (backoff, rate limit) and of the token file's re-read, injected so that
/// tests check the sequence of waits without sleeping.
public protocol RequestClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Waits `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clock: `ContinuousClock` (it keeps counting while the machine sleeps, as timeouts should).
public struct ContinuousRequestClock: RequestClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration, clock: .continuous)
    }
}
