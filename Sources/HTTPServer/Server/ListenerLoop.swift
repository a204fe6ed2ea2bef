import CLinuxEvents
import Glibc
import Logging

/// One event loop's share of a server: its listening socket, its connections, and its part of the connection
/// limit. Runs on the loop's thread.
final class ListenerLoop: EventLoopHandler, @unchecked Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let observer: HTTPServerObserver
    private let loop: EventLoop
    private let tlsContext: (@Sendable () -> TLSContext)?
    private let logger: Logger
    private var listener: Int32
    private var connections: [Int32: Connection] = [:]
    private let connectionLimit: Int
    private var isAcceptPaused = false
    private var isStopped = false
    /// Called once when the last connection has closed after `stop`.
    private var onDrained: (@Sendable () -> Void)?

    init(
        listener: Int32, loop: EventLoop, configuration: HTTPServerConfiguration, handler: any HTTPHandler,
        tlsContext: (@Sendable () -> TLSContext)?, observer: HTTPServerObserver, logger: Logger
    ) {
        self.listener = listener
        self.loop = loop
        self.configuration = configuration
        self.handler = handler
        self.tlsContext = tlsContext
        self.observer = observer
        self.logger = logger
        self.connectionLimit = max(1, configuration.maxConnections / max(1, configuration.loopCount))
    }

    func start() {
        loop.register(listener, events: UInt32(EPOLLIN.rawValue), handler: self)
    }

    /// The listener is readable: accept what is pending.
    func handleEvents(_ events: UInt32) {
        while !isStopped && !isAcceptPaused {
            guard connections.count < connectionLimit else {
                // Further connections wait in the kernel's backlog until one of ours closes.
                pauseAccepting(until: nil)
                return
            }
            switch Socket.accept(listener) {
            case .accepted(let fd): open(fd)
            case .wouldBlock: return
            case .outOfDescriptors:
                // Level-triggered epoll would report the pending connection again at once: pause instead of
                // spinning, and try again shortly, when some descriptor may have been released.
                logger.warning(
                    "Out of file descriptors; pausing accept for 100 ms",
                    metadata: ["open_connections": "\(connections.count)"])
                pauseAccepting(until: .now + .milliseconds(100))
                return
            case .failed(let error):
                logger.error("accept failed", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    private func open(_ fd: Int32) {
        var tls: TLSConnection?
        if let tlsContext {
            guard let session = TLSConnection(context: tlsContext(), fd: fd) else {
                Glibc.close(fd)
                return
            }
            tls = session
        }
        let connection = Connection(fd: fd, loop: loop, owner: self, tls: tls)
        connections[fd] = connection
        observer.connectionOpened()
        connection.start()
    }

    func connectionClosed(_ connection: Connection) {
        connections[connection.fd] = nil
        observer.connectionClosed()
        if isAcceptPaused && !isStopped && connections.count < connectionLimit { resumeAccepting() }
        finishIfDrained()
    }

    /// Once stopped, reports (once) that the last connection is gone.
    private func finishIfDrained() {
        guard isStopped, connections.isEmpty, let onDrained else { return }
        self.onDrained = nil
        onDrained()
    }

    private func pauseAccepting(until deadline: ContinuousClock.Instant?) {
        isAcceptPaused = true
        loop.modify(listener, events: 0)
        if let deadline {
            loop.schedule(at: deadline) { [weak self] in self?.resumeAccepting() }
        }
    }

    private func resumeAccepting() {
        guard isAcceptPaused, !isStopped else { return }
        isAcceptPaused = false
        loop.modify(listener, events: UInt32(EPOLLIN.rawValue))
        handleEvents(UInt32(EPOLLIN.rawValue))
    }

    /// Stops accepting, closes idle connections, lets busy ones finish; `drained` runs when none is left.
    func stop(drained: @escaping @Sendable () -> Void) {
        isStopped = true
        loop.deregister(listener)
        Glibc.close(listener)
        listener = -1
        onDrained = drained
        for connection in Array(connections.values) { connection.beginDraining() }
        finishIfDrained()
    }

    /// Closes every connection now (the grace period is over).
    func closeAll() {
        for connection in Array(connections.values) { connection.close() }
    }
}
