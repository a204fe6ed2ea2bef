import CLinuxEvents
import Glibc
import Logging

/// One event loop's share of a server: its listening socket, its connections, and its part of the connection
/// limit. Runs on the loop's thread.
final class ListenerLoop: EventLoopHandler, @unchecked Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let observer: HTTPServerObserver
    /// Shared with the server's other loops.
    let limits: SharedLimits
    private let loop: EventLoop
    private let tlsContext: (@Sendable () -> TLSContext)?
    private let logger: Logger
    private var listener: Int32
    private var connections: [Int32: Connection] = [:]
    private let connectionLimit: Int
    private var isAcceptPaused = false
    /// The most connections open at once since memory was last returned to the system.
    private var peakSinceTrim = 0
    private var isStopped = false
    /// Called once when the last connection has closed after `stop`.
    private var onDrained: (@Sendable () -> Void)?

    init(
        listener: Int32, loop: EventLoop, configuration: HTTPServerConfiguration, handler: any HTTPHandler,
        tlsContext: (@Sendable () -> TLSContext)?, limits: SharedLimits, observer: HTTPServerObserver,
        logger: Logger
    ) {
        self.listener = listener
        self.limits = limits
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
            // At the limit, the oldest idle keep-alive connection makes room for a new one (its client reconnects
            // when it needs to), else the oldest that has sent nothing yet; with neither, new connections wait in
            // the kernel's backlog until one closes.
            let atLimit = connections.count >= connectionLimit
            guard !atLimit || evictionCandidate() != nil else {
                pauseAccepting(until: nil)
                return
            }
            switch Socket.accept(listener) {
            case .accepted(let fd):
                if connections.count >= connectionLimit, let (connection, reason) = evictionCandidate() {
                    observer.connectionShed(reason)
                    connection.close()
                }
                open(fd)
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

    /// The connection to close for a new one at the limit: the oldest idle keep-alive one, else the oldest silent
    /// one (connected, no request byte yet); `nil` when every connection is busy with a request.
    private func evictionCandidate() -> (Connection, ConnectionShedReason)? {
        var idle: (Connection, ContinuousClock.Instant)?
        var silent: Connection?
        for connection in connections.values {
            if let since = connection.idleSince {
                if idle.map({ since < $0.1 }) ?? true { idle = (connection, since) }
            } else if connection.isSilent, silent.map({ connection.acceptedAt < $0.acceptedAt }) ?? true {
                silent = connection
            }
        }
        if let idle { return (idle.0, .idleEvicted) }
        return silent.map { ($0, .silentEvicted) }
    }

    private func open(_ fd: Int32) {
        // A peer already gone has no address: nothing to serve.
        guard let client = PeerAddress(of: fd) else {
            Glibc.close(fd)
            return
        }
        guard limits.admit(client) else {
            observer.connectionShed(.perClientLimit)
            Glibc.close(fd)
            return
        }
        let connection = Connection(fd: fd, client: client, loop: loop, owner: self, tlsContext: tlsContext?())
        connections[fd] = connection
        observer.connectionOpened()
        connection.start()
    }

    func connectionClosed(_ connection: Connection) {
        connections[connection.fd] = nil
        limits.release(connection.client)
        // After a flood, once most of its connections are gone, the memory their buffers and TLS sessions took is
        // returned to the system, so RSS comes back near its idle level.
        peakSinceTrim = max(peakSinceTrim, connections.count + 1)
        if peakSinceTrim >= 256 && connections.count <= peakSinceTrim / 16 {
            vigilante_release_free_memory()
            peakSinceTrim = connections.count
        }
        observer.connectionClosed()
        if isAcceptPaused && !isStopped && connections.count < connectionLimit { resumeAccepting() }
        finishIfDrained()
    }

    /// A connection answered and now waits for its next request: at the limit, it can make room for a new one.
    func connectionBecameIdle() {
        if isAcceptPaused && !isStopped { resumeAccepting() }
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
