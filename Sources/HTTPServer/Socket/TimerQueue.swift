/// The timers of one event loop: a min-heap by deadline. Cancelling marks the entry; it is skipped when it
/// comes up, which keeps cancel O(1). (Connections do not cancel: they move a stored deadline, see `Connection`.)
struct TimerQueue {
    struct ID: Hashable {
        fileprivate var value: UInt64
    }

    private struct Entry {
        var deadline: ContinuousClock.Instant
        var id: UInt64
    }

    private var heap: [Entry] = []
    private var actions: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 0

    mutating func add(deadline: ContinuousClock.Instant, action: @escaping () -> Void) -> ID {
        nextID += 1
        actions[nextID] = action
        heap.append(Entry(deadline: deadline, id: nextID))
        siftUp(heap.count - 1)
        return ID(value: nextID)
    }

    mutating func cancel(_ id: ID) {
        actions[id.value] = nil
    }

    /// How long `epoll_wait` may sleep: until the next deadline, and at most 1 s (the loop also checks for stop).
    mutating func millisecondsUntilNext(now: ContinuousClock.Instant) -> Int32 {
        dropCancelledHead()
        guard let first = heap.first else { return 1000 }
        let remaining = now.duration(to: first.deadline)
        if remaining <= .zero { return 0 }
        let milliseconds =
            remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1
        return Int32(min(milliseconds, 1000))
    }

    /// Removes and returns the actions whose deadline has passed, earliest first. The caller runs them after
    /// this returns: an action may schedule a new timer, which must not happen while the queue is being changed.
    mutating func takeDue(now: ContinuousClock.Instant) -> [() -> Void] {
        var due: [() -> Void] = []
        while let first = heap.first, first.deadline <= now {
            popHead()
            if let action = actions.removeValue(forKey: first.id) { due.append(action) }
        }
        return due
    }

    var isEmpty: Bool { actions.isEmpty }

    private mutating func dropCancelledHead() {
        while let first = heap.first, actions[first.id] == nil { popHead() }
    }

    private mutating func popHead() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count && heap[right].deadline < heap[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
