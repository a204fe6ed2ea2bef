public import Foundation

/// The scheduler's clock: wall time (the healing window start is stored on the node as a date) and sleeping
/// until a date. Tests use a clock they move by hand; nothing in this target calls `Date()` itself.
public protocol WallClock: Sendable {
    var now: Date { get }
    /// Returns at `deadline` (or throws when the task is cancelled).
    func sleep(until deadline: Date) async throws
}

/// The system's clock.
public struct SystemWallClock: WallClock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) }
    }
}

extension Duration {
    /// The duration as the `TimeInterval` that `Date` arithmetic takes (window ends, next steps).
    var timeInterval: TimeInterval { self / .seconds(1) }
}
