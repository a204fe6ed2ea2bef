public import Foundation
public import Healing
import Synchronization

/// A wall clock that moves only when a test says so. `sleep(until:)` suspends until `advance` passes the
/// deadline; due sleepers wake in deadline order.
public final class TestClock: WallClock {
    private struct Sleeper {
        var deadline: Date
        var id: Int
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    public init(now: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex(State(now: now))
    }

    public var now: Date { state.withLock { $0.now } }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    public func advance(by seconds: TimeInterval) {
        let due = state.withLock { state -> [Sleeper] in
            state.now += seconds
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(deadline: deadline, id: id, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}

/// Waits (polling every few milliseconds, at most `timeout` of real time) until `condition` holds; for state
/// that other tasks change. Fails the wait with a description rather than hanging. The bound is generous: it
/// returns as soon as the condition holds, and under AddressSanitizer with the whole suite running in parallel
/// on two cores a few steps on the cooperative pool have taken more than ten seconds.
public func waitUntil(
    _ description: String, timeout: Duration = .seconds(60), _ condition: () async -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw WaitTimeout(description: description) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

public struct WaitTimeout: Error, CustomStringConvertible {
    public var description: String
}
