import CLinuxEvents
import Glibc
import Synchronization

/// Something registered with an event loop for a file descriptor. Called on the loop's thread only.
protocol EventLoopHandler: AnyObject {
    /// `events` is the epoll mask that fired (`EPOLLIN`, `EPOLLOUT`, `EPOLLHUP`, `EPOLLERR`).
    func handleEvents(_ events: UInt32)
}

/// One thread running `epoll_wait`: it owns the sockets registered with it, runs their callbacks and its
/// timers, and runs closures handed to it from other threads (`execute`). Nothing on the loop may block:
/// request handlers run as tasks elsewhere and hand their response back with `execute`.
///
/// Threading: `register`, `modify`, `deregister` and `schedule` are called on the loop's own thread only;
/// `execute` from anywhere.
final class EventLoop: @unchecked Sendable {
    private let epoll: Int32
    private let wakeup: Int32
    private var handlers: [Int32: any EventLoopHandler] = [:]
    private var timers = TimerQueue()
    private let pending = Mutex<[@Sendable () -> Void]>([])
    private let isStopped = Atomic<Bool>(false)
    private var thread = pthread_t()
    private var name = ""
    /// Scratch space for reads: one buffer per loop, as a loop reads one socket at a time.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    init() throws(SocketError) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw .lastError("epoll_create1") }
        wakeup = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeup >= 0 else {
            close(epoll)
            throw .lastError("eventfd")
        }
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(fd: wakeup))
        epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)
    }

    deinit {
        close(epoll)
        close(wakeup)
        readBuffer.deallocate()
    }

    /// Starts the loop's thread, named `name` (at most 15 bytes: what `top -H` and `/proc/<pid>/task/*/comm`
    /// show).
    func start(name: String) {
        self.name = name
        let box = Unmanaged.passRetained(self)
        pthread_create(
            &thread, nil,
            { argument in
                let loop = Unmanaged<EventLoop>.fromOpaque(argument!).takeRetainedValue()
                vigilante_name_this_thread(loop.name)
                loop.runLoop()
                return nil
            }, box.toOpaque())
    }

    /// Stops the loop after the closures already handed to it have run, and waits for its thread to end.
    func stopAndJoin() {
        execute { [self] in isStopped.store(true, ordering: .relaxed) }
        pthread_join(thread, nil)
    }

    /// Runs `task` on the loop's thread, soon. Safe from any thread.
    func execute(_ task: @escaping @Sendable () -> Void) {
        let wasEmpty = pending.withLock { tasks in
            tasks.append(task)
            return tasks.count == 1
        }
        if wasEmpty {
            var one: UInt64 = 1
            _ = Glibc.write(wakeup, &one, 8)
        }
    }

    func register(_ fd: Int32, events: UInt32, handler: any EventLoopHandler) {
        handlers[fd] = handler
        var event = epoll_event(events: events, data: epoll_data_t(fd: fd))
        epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event)
    }

    func modify(_ fd: Int32, events: UInt32) {
        var event = epoll_event(events: events, data: epoll_data_t(fd: fd))
        epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event)
    }

    /// Forgets `fd`; the caller closes it afterwards.
    func deregister(_ fd: Int32) {
        epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
        handlers[fd] = nil
    }

    /// Runs `action` on the loop once `deadline` has passed.
    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping () -> Void) {
        timers.add(deadline: deadline, action: action)
    }

    private func runLoop() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while !isStopped.load(ordering: .relaxed) {
            let count = epoll_wait(epoll, events, Int32(capacity), timers.millisecondsUntilNext(now: .now))
            for i in 0..<Int(max(count, 0)) {
                let fd = events[i].data.fd
                if fd == wakeup {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeup, &value, 8)
                    continue
                }
                handlers[fd]?.handleEvents(events[i].events)
            }
            runPendingTasks()
            for action in timers.takeDue(now: .now) { action() }
        }
        runPendingTasks()
    }

    private func runPendingTasks() {
        // Taking the array whole (an empty one in its place) allocates nothing; keeping its capacity could not
        // work anyway while `taken` shares the storage, and this runs after every wake-up.
        let tasks = pending.withLock { tasks in
            var taken: [@Sendable () -> Void] = []
            if !tasks.isEmpty { swap(&taken, &tasks) }
            return taken
        }
        for task in tasks { task() }
    }
}
