import KubernetesClient
import Synchronization

/// A clock for unit tests: `sleep(for:)` returns at once, moving the time forward and recording the wait, so
/// that sequences of waits are checked without sleeping. `advance(by:)` moves the time by hand.
final class SteppingClock: RequestClock {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    func now() -> Duration { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.now += duration
            state.sleeps.append(duration)
        }
    }

    func advance(by duration: Duration) {
        state.withLock { $0.now += duration }
    }

    /// Every wait so far, in order.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }
}
