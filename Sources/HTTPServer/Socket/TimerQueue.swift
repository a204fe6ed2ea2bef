/// The timers of one event loop: a min-heap by deadline. Timers are never cancelled: a connection moves a stored
/// deadline instead, and a timer that fires before it re-schedules itself (see `Connection`).
struct TimerQueue {
    private struct Entry {
        var deadline: ContinuousClock.Instant
        var action: () -> Void
    }

    private var heap: [Entry] = []

    mutating func add(deadline: ContinuousClock.Instant, action: @escaping () -> Void) {
        heap.append(Entry(deadline: deadline, action: action))
        siftUp(heap.count - 1)
    }

    /// How long `epoll_wait` may sleep: until the next deadline (rounded up, so the loop never wakes just
    /// before it), and at most 1 s (the loop also checks for stop).
    func millisecondsUntilNext(now: ContinuousClock.Instant) -> Int32 {
        guard let first = heap.first else { return 1000 }
        let remaining = now.duration(to: first.deadline)
        if remaining <= .zero { return 0 }
        return Int32(min(1000, (remaining / .milliseconds(1)).rounded(.up)))
    }

    /// Removes and returns the actions whose deadline has passed, earliest first. The caller runs them after
    /// this returns: an action may schedule a new timer, which must not happen while the queue is being changed.
    mutating func takeDue(now: ContinuousClock.Instant) -> [() -> Void] {
        var due: [() -> Void] = []
        while let first = heap.first, first.deadline <= now {
            popHead()
            due.append(first.action)
        }
        return due
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
