import Synchronization

/// Waits for whichever of two operations ends first and returns which, without waiting for the other (a task group
/// would wait for both). The other keeps running; the caller decides what to do with it.
enum FirstOf {
    enum Winner { case first, second }

    static func two(
        _ first: @escaping @Sendable () async -> Void, _ second: @escaping @Sendable () async -> Void
    ) async -> Winner {
        let race = Race()
        var tasks: [Task<Void, Never>] = []
        let winner = await withCheckedContinuation { (continuation: CheckedContinuation<Winner, Never>) in
            tasks.append(Task { await race.end(first, as: .first, continuation) })
            tasks.append(Task { await race.end(second, as: .second, continuation) })
        }
        // The loser of the race is not awaited; a timer that lost is cancelled so it does not linger.
        for task in tasks { task.cancel() }
        return winner
    }

    /// Resumes the continuation once, for whichever operation ends first.
    private final class Race: Sendable {
        private let isDecided = Mutex(false)

        func end(
            _ operation: @Sendable () async -> Void, as outcome: Winner,
            _ continuation: CheckedContinuation<Winner, Never>
        ) async {
            await operation()
            let isFirst = isDecided.withLock { decided in
                defer { decided = true }
                return !decided
            }
            if isFirst { continuation.resume(returning: outcome) }
        }
    }
}
