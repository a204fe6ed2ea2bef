public import Logging
import Synchronization

/// An HTTP/1.1 server, over TLS when given a context source, on its own event loops. The process must ignore
/// `SIGPIPE` (`vigilante` does, at start): OpenSSL writes with plain `write(2)`, and a peer that has gone would
/// otherwise kill the process instead of failing the write with `EPIPE`.
///
/// `start()` binds and returns the real port; `shutdown()` stops accepting, closes idle connections, lets
/// requests in flight finish within the grace period, then closes what is left.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let tlsContext: (@Sendable () -> TLSContext)?
    private let observer: HTTPServerObserver
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var loops: [EventLoop] = []
        var listeners: [ListenerLoop] = []
        var port: Int?
    }

    /// - Parameter tlsContext: the context for each new connection (the reloader's current one); `nil` serves
    ///   plain HTTP.
    public init(
        configuration: HTTPServerConfiguration, handler: any HTTPHandler, tlsContext: (@Sendable () -> TLSContext)?,
        observer: HTTPServerObserver = HTTPServerObserver(), logger: Logger
    ) {
        self.configuration = configuration
        self.handler = handler
        self.tlsContext = tlsContext
        self.observer = observer
        self.logger = logger
    }

    /// The bound port, once started.
    public var port: Int? { state.withLock { $0.port } }

    /// Binds one listener per loop and starts the loops. Returns the real port.
    @discardableResult
    public func start() throws(SocketError) -> Int {
        var loops: [EventLoop] = []
        var listeners: [ListenerLoop] = []
        var port = configuration.port
        let limits = SharedLimits(
            maxConnectionsPerClient: configuration.maxConnectionsPerClient,
            maxBufferedBytes: configuration.maxBufferedBytes)
        for index in 0..<max(1, configuration.loopCount) {
            let fd = try Socket.listen(host: configuration.host, port: port, backlog: configuration.backlog)
            if index == 0 { port = try Socket.localPort(fd) }
            let loop = try EventLoop()
            loops.append(loop)
            listeners.append(
                ListenerLoop(
                    listener: fd, loop: loop, configuration: configuration, handler: handler,
                    tlsContext: tlsContext, limits: limits, observer: observer, logger: logger))
        }
        for (loop, listener) in zip(loops, listeners) {
            // Named after the port, so that each listener's loops can be told apart in `top -H`.
            loop.start(name: "http-\(port)")
            loop.execute { listener.start() }
        }
        let boundPort = port
        state.withLock {
            $0.loops = loops
            $0.listeners = listeners
            $0.port = boundPort
        }
        return port
    }

    /// Stops the server gracefully and returns when every connection is closed and the loops have ended.
    public func shutdown() async {
        let (loops, listeners) = state.withLock { ($0.loops, $0.listeners) }
        guard !loops.isEmpty else { return }
        let remaining = Atomic<Int>(listeners.count)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // Each listener reports drained exactly once, so the count reaches 0 exactly once.
            for (loop, listener) in zip(loops, listeners) {
                loop.execute {
                    listener.stop {
                        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                            continuation.resume()
                        }
                    }
                    loop.schedule(at: .now + self.configuration.shutdownGracePeriod) { listener.closeAll() }
                }
            }
        }
        for loop in loops { loop.stopAndJoin() }
        state.withLock {
            $0.loops = []
            $0.listeners = []
        }
    }
}
