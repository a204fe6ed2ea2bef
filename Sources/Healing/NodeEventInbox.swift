import Synchronization

/// Where webhook callbacks wait for the scheduler. Its promise:
/// - never blocks the caller (the API server waits for the admission answer);
/// - keyed by node name: a node changed twice before the scheduler looked keeps one entry, the newest snapshot;
/// - bounded: when full, a new node's event is dropped and counted (the next resync recovers it);
/// - first in, first out among nodes.
public final class NodeEventInbox<Snapshot: Sendable>: Sendable {
    private struct State {
        var order: [String] = []
        var latest: [String: Snapshot] = [:]
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Puts the newest snapshot of `node`; `false` when it was dropped because the inbox is full.
    @discardableResult
    public func put(_ snapshot: Snapshot, for node: String) -> Bool {
        state.withLock { state in
            if state.latest[node] == nil {
                guard state.order.count < capacity else { return false }
                state.order.append(node)
            }
            state.latest[node] = snapshot
            return true
        }
    }

    /// Everything waiting, oldest node first.
    public func takeAll() -> [(node: String, snapshot: Snapshot)] {
        state.withLock { state in
            let taken = state.order.compactMap { name in state.latest[name].map { (name, $0) } }
            state = State()
            return taken
        }
    }

    public var count: Int { state.withLock { $0.order.count } }
}
