public import Foundation

/// The elector's clock. Every decision (has the holder's Lease expired, is the renew deadline over) is measured
/// on `uptime`, a monotonic clock, as client-go measures it on Go's monotonic reading: a wall-clock step (NTP, a
/// VM resumed) can neither expire another replica's Lease early nor extend this replica's own term. Wall time is
/// only written into the Lease (`acquireTime`, `renewTime`) for people and tools to read.
public protocol ElectionClock: Sendable {
    /// Wall time, written into the Lease.
    var wallNow: Date { get }
    /// Time since an arbitrary origin, never going back.
    var uptime: Duration { get }
    /// Returns once `uptime` has reached `deadline`; throws when the task is cancelled.
    func sleep(untilUptime deadline: Duration) async throws
}

/// The system's clocks: `Date()` and the continuous clock.
public struct SystemElectionClock: ElectionClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var wallNow: Date { Date() }

    public var uptime: Duration { ContinuousClock.now - origin }

    public func sleep(untilUptime deadline: Duration) async throws {
        try await Task.sleep(until: origin + deadline, clock: .continuous)
    }
}
