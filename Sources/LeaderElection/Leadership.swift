import Synchronization

/// Whether this replica may act as the leader right now: the elector grants a term that ends `renewDeadline`
/// after the renewal that earned it was sent, and extends it with each renewal. Writers check it before each
/// write, so a replica whose renewals stop failing stops writing by the clock alone, even before the elector's
/// loop has noticed.
public final class Leadership: Sendable {
    private let clock: any ElectionClock
    /// The uptime at which the current term ends; `nil` when this replica does not lead.
    private let termEnd = Mutex<Duration?>(nil)

    public init(clock: any ElectionClock) {
        self.clock = clock
    }

    /// True while a term is granted and not over.
    public var isLeading: Bool {
        guard let end = termEnd.withLock({ $0 }) else { return false }
        return clock.uptime < end
    }

    func grant(until end: Duration) {
        termEnd.withLock { $0 = end }
    }

    func revoke() {
        termEnd.withLock { $0 = nil }
    }
}
