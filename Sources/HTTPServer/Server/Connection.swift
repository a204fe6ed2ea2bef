import CLinuxEvents
import Glibc

/// One accepted connection: TLS handshake, reading and parsing requests, handing each to the handler, writing
/// responses in order, timeouts, and closing. Everything here runs on the connection's event loop; the handler
/// runs as a task and comes back through `EventLoop.execute`, which is why the class is `@unchecked Sendable`.
final class Connection: EventLoopHandler, @unchecked Sendable {
    enum Phase {
        case handshaking
        case reading
        /// The handler has the request; reading pauses (pipelined requests wait, in order).
        case processing
        case writing
        /// The response is out and our side is shut; reading and discarding until the peer closes, so that
        /// unread request bytes do not make the kernel reset the connection before the client read the answer.
        case lingering
        case closed
    }

    let fd: Int32
    /// Whose connection this is (the per-client limit).
    let client: PeerAddress
    private unowned let loop: EventLoop
    private unowned let owner: ListenerLoop
    /// The TLS session, made when the peer's first bytes arrive: a connection that never sends one (a silent
    /// flood) costs no OpenSSL state at all.
    private var tls: TLSConnection?
    /// The context taken at the accept, until the session is made from it.
    private var tlsContext: TLSContext?
    private var parser: HTTPRequestParser
    private(set) var phase: Phase
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var keepAliveAfterWrite = true
    /// The last request asked to close (`Connection: close`, or HTTP/1.0 without keep-alive), as opposed to the
    /// server ending the connection after an error or at shutdown.
    private var clientAskedToClose = false
    private var interest: UInt32 = 0
    /// When the current phase times out; `nil` while the handler has the request.
    private var deadline: ContinuousClock.Instant?
    /// The earliest loop timer pending for this connection.
    private var earliestTimer: ContinuousClock.Instant?
    /// Whether the armed deadline is the keep-alive idle one (replaced by the header deadline at the first byte).
    private var isIdleDeadline = false
    /// Set when the server shuts down: the current request finishes, then the connection closes.
    private var isDraining = false
    private var isTakingRequests = false
    /// Whether a response was written: until then the head timeout runs from the accept, never the idle one.
    private var hasAnswered = false
    /// Since when this kept-alive connection waits for its next request (`nil` while it is doing anything else): the
    /// oldest idle connection is closed first when the server is full. Read off the idle deadline, which is armed
    /// exactly then.
    var idleSince: ContinuousClock.Instant? {
        guard isIdleDeadline, phase == .reading, let deadline else { return nil }
        return deadline - configuration.idleTimeout
    }
    /// When it was accepted: among connections that have not sent a request yet, the oldest makes room first.
    let acceptedAt = ContinuousClock.now
    /// Bytes of the server's buffer budget this connection holds (`SharedLimits`).
    private var reservedBytes = 0

    private var configuration: HTTPServerConfiguration { owner.configuration }

    init(fd: Int32, client: PeerAddress, loop: EventLoop, owner: ListenerLoop, tlsContext: TLSContext?) {
        self.fd = fd
        self.client = client
        self.loop = loop
        self.owner = owner
        self.tlsContext = tlsContext
        let configuration = owner.configuration
        self.parser = HTTPRequestParser(
            limits: HTTPParserLimits(
                maxBodyBytes: configuration.maxBodyBytes, maxHeaderBytes: configuration.maxHeaderBytes,
                maxHeaderCount: configuration.maxHeaderCount))
        self.phase = tlsContext == nil ? .reading : .handshaking
    }

    /// Registers with the loop and starts the head deadline: a peer that connects and sends nothing (or completes
    /// its handshake and sends no request) holds a slot for `headerTimeout`, not for the idle timeout.
    func start() {
        interest = UInt32(EPOLLIN.rawValue)
        loop.register(fd, events: interest, handler: self)
        arm(configuration.headerTimeout)
    }

    func handleEvents(_ events: UInt32) {
        switch phase {
        case .handshaking: continueHandshake()
        case .reading: readAvailable()
        case .writing: flush()
        case .lingering: discardUntilClosed()
        case .processing:
            // Not reading now (interest 0), yet epoll always reports a hang-up or an error, level-triggered: the
            // peer reset the connection or closed both ways, so nobody can read the answer. Close now; left open,
            // the loop would be woken for it again and again until the handler answers. The answer, when it comes,
            // finds the connection closed and is dropped.
            if events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { close() }
        case .closed: break
        }
    }

    /// Closes at once if nothing is in progress; otherwise lets the current exchange finish first.
    func beginDraining() {
        isDraining = true
        switch phase {
        case .handshaking: close()
        case .reading where parser.isIdle: close()
        default: break
        }
    }

    func close() {
        guard phase != .closed else { return }
        phase = .closed
        releaseBudget(keeping: 0)
        loop.deregister(fd)
        Glibc.close(fd)
        owner.connectionClosed(self)
    }

    // MARK: TLS handshake

    private func continueHandshake() {
        if tls == nil {
            guard let context = tlsContext, let session = TLSConnection(context: context, fd: fd) else {
                close()
                return
            }
            tls = session
            tlsContext = nil
        }
        guard let tls else { return }
        switch tls.handshake() {
        case .done:
            // The head deadline armed at the accept keeps running: the handshake counts against it.
            phase = .reading
            readAvailable()
        case .wantRead: setInterest(UInt32(EPOLLIN.rawValue))
        case .wantWrite: setInterest(UInt32(EPOLLOUT.rawValue))
        case .closed:
            owner.observer.tlsHandshakeFailed(nil)
            close()
        case .failed(let error):
            owner.observer.tlsHandshakeFailed(error)
            close()
        }
    }

    // MARK: Reading

    /// Reads what the socket has (a bounded amount per wake-up, for fairness between connections), then parses.
    /// A short read means the socket is drained: epoll is level-triggered and reports anything that arrives
    /// later, so the extra read that would only answer EAGAIN is skipped.
    private func readAvailable() {
        var budget = 256 * 1024
        while budget > 0 {
            switch receive() {
            case .data(let count):
                parser.append(UnsafeRawBufferPointer(rebasing: loop.readBuffer[0..<count]))
                guard holdBudget(parser.bufferedByteCount) else { return refuseOverBudget() }
                budget -= count
                if count < loop.readBuffer.count && tls?.hasBufferedData != true { budget = 0 }
            case .wouldBlock:
                budget = 0
            case .peerClosed:
                // A half-closed client may still want the answer to what it sent: parse first, then close.
                processBufferedRequests()
                if phase == .reading { close() }
                return
            }
        }
        processBufferedRequests()
    }

    private enum ReceiveResult {
        case data(Int)
        case wouldBlock
        case peerClosed
    }

    private func receive() -> ReceiveResult {
        if let tls {
            switch tls.read(into: loop.readBuffer) {
            case .done(let count): return .data(count)
            case .wantRead: return .wouldBlock
            case .wantWrite:
                setInterest(UInt32(EPOLLOUT.rawValue))
                return .wouldBlock
            case .closed, .failed: return .peerClosed
            }
        }
        switch Socket.read(fd, into: loop.readBuffer) {
        case .transferred(let count): return .data(count)
        case .wouldBlock: return .wouldBlock
        case .closed: return .peerClosed
        }
    }

    /// Takes complete requests from the parser, one at a time: the next waits until this one is answered.
    /// Answers written at once (on the loop) come back here through `flush`; the flag keeps that a loop, not a
    /// recursion as deep as the number of pipelined requests.
    private func processBufferedRequests() {
        guard !isTakingRequests else { return }
        isTakingRequests = true
        defer { isTakingRequests = false }
        while phase == .reading {
            let event: HTTPParserEvent?
            do {
                event = try parser.nextEvent()
            } catch {
                respond(.text(error.status, error.reason + "\n"), keepAlive: false)
                return
            }
            switch event {
            case nil:
                setInterest(UInt32(EPOLLIN.rawValue))
                if parser.isIdle {
                    if isDraining { close() } else if hasAnswered && !isIdleDeadline { becomeIdle() }
                } else if isIdleDeadline {
                    arm(configuration.headerTimeout)
                }
                return
            case .head(let head):
                // The whole announced body will be held: reserve it now, before reading it.
                // (What is buffered already is that body's start, and perhaps a pipelined request after it.)
                let announced = max(parser.bufferedByteCount, head.contentLength ?? 0)
                guard holdBudget(announced) else { return refuseOverBudget() }
                arm(configuration.bodyTimeout)
                if head.expectsContinue {
                    // A 100 Continue goes out right away, ahead of the body it invites.
                    HTTPResponseEncoder.encodeContinue(into: &output)
                    _ = writeBuffered()
                }
            case .request(let request):
                dispatch(request)
            }
        }
    }

    private func dispatch(_ request: HTTPRequest) {
        phase = .processing
        // No deadline while the handler has the request; a pending loop timer finds none and does nothing.
        deadline = nil
        clientAskedToClose = !request.head.keepAlive
        if let response = owner.handler.respondOnLoop(to: request) {
            respond(response, keepAlive: request.head.keepAlive, version: request.head.version)
            return
        }
        setInterest(0)
        let handler = owner.handler
        let loop = self.loop
        let keepAlive = request.head.keepAlive
        let version = request.head.version
        Task {
            let response = await handler.handle(request)
            loop.execute { self.respond(response, keepAlive: keepAlive, version: version) }
        }
    }

    // MARK: Writing

    private func respond(_ response: HTTPResponse, keepAlive: Bool, version: HTTPVersion = .http1_1) {
        guard phase != .closed else { return }
        keepAliveAfterWrite = keepAlive && !isDraining
        HTTPResponseEncoder.encode(response, keepAlive: keepAliveAfterWrite, requestVersion: version, into: &output)
        phase = .writing
        arm(configuration.writeTimeout)
        flush()
    }

    private func flush() {
        switch writeBuffered() {
        case .complete:
            hasAnswered = true
            // The request and its body are gone; what is still buffered is a pipelined request's.
            releaseBudget(keeping: parser.bufferedByteCount)
            if keepAliveAfterWrite {
                phase = .reading
                setInterest(UInt32(EPOLLIN.rawValue))
                becomeIdle()
                processBufferedRequests()
                // Bytes OpenSSL already decrypted do not wake epoll again.
                if phase == .reading, let tls, tls.hasBufferedData { readAvailable() }
            } else {
                // When the client said this was its last request (RFC 9112 §9.6) and nothing it sent is left
                // unread, here or in the kernel, close now, as nginx does: no lingering wait, no wake-ups, no
                // descriptor held meanwhile. Otherwise (an error answer, a shutdown, bytes still coming) linger:
                // unread bytes would make the close a reset that can destroy the answer before the client reads it.
                let closeAtOnce = clientAskedToClose && !hasUnreadInput
                tls?.shutdown()
                if closeAtOnce { close() } else { startLingeringClose() }
            }
        case .blocked(let events): setInterest(events)
        case .failed: close()
        }
    }

    private enum WriteResult {
        case complete
        case blocked(UInt32)
        case failed
    }

    private func writeBuffered() -> WriteResult {
        while outputOffset < output.count {
            let result: Socket.TransferResult = output.withUnsafeBytes { bytes in
                let pending = UnsafeRawBufferPointer(rebasing: bytes[outputOffset...])
                guard let tls else { return Socket.write(fd, pending) }
                switch tls.write(pending) {
                case .done(let count): return .transferred(count)
                case .wantWrite, .wantRead: return .wouldBlock
                case .closed, .failed: return .closed
                }
            }
            switch result {
            case .transferred(let count): outputOffset += count
            case .wouldBlock: return .blocked(UInt32(EPOLLOUT.rawValue))
            case .closed: return .failed
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputOffset = 0
        return .complete
    }

    // MARK: Idle and the buffer budget

    /// Connected, and not one byte of a request yet: a TLS handshake in progress or nothing received since the
    /// accept. A real client (the API server) sends its request right after connecting, so at the connection limit
    /// the oldest of these is the first to go after the idle ones: a flood of silent connections cannot lock the
    /// others out for the head timeout.
    var isSilent: Bool {
        !hasAnswered && (phase == .handshaking || (phase == .reading && parser.isIdle && parser.bufferedByteCount == 0))
    }

    private func becomeIdle() {
        arm(configuration.idleTimeout, idle: true)
        owner.connectionBecameIdle()
    }

    /// Holds at least `bytes` of the server's buffer budget; `false` when they do not fit.
    private func holdBudget(_ bytes: Int) -> Bool {
        guard bytes > reservedBytes else { return true }
        guard owner.limits.reserve(bytes - reservedBytes) else { return false }
        reservedBytes = bytes
        return true
    }

    /// Gives back all but `keep` bytes of this connection's reservation. When a flood of large requests is over
    /// (no connection holds anything any more), the allocator returns the freed memory to the system, so that RSS
    /// comes back near its idle level instead of staying at its peak.
    private func releaseBudget(keeping keep: Int) {
        guard reservedBytes > keep else { return }
        let released = reservedBytes - keep
        reservedBytes = keep
        if owner.limits.giveBack(released) == 0 && released >= Self.trimAfterBytes {
            vigilante_release_free_memory()
        }
    }

    /// Releasing this much at once, with nothing else held, is worth a `malloc_trim`; an admission review (tens of
    /// KB) never is.
    private static let trimAfterBytes = 1024 * 1024

    /// The request would take the server's buffered bytes over its budget: 503 with `Retry-After`, and close (the
    /// rest of the body is not read). What this connection held is given back at once.
    private func refuseOverBudget() {
        owner.observer.connectionShed(.bufferBudget)
        parser = HTTPRequestParser(limits: parser.limits)
        releaseBudget(keeping: 0)
        var headers = HTTPHeaders()
        headers.add(name: "Retry-After", value: "1")
        let text = "server busy: the request bodies being received exceed the buffer budget\n"
        respond(
            HTTPResponse(status: .serviceUnavailable, headers: headers, body: Array(text.utf8)), keepAlive: false)
    }

    // MARK: Closing

    /// Request bytes not yet taken: in the parser, in OpenSSL, or in the socket's receive queue.
    private var hasUnreadInput: Bool {
        parser.bufferedByteCount > 0 || tls?.hasBufferedData == true || Socket.hasPendingInput(fd)
    }

    /// After the TLS close_notify: stops sending and reads until the client closes (or 2 s pass), so that what it
    /// still sends cannot turn the close into a reset.
    private func startLingeringClose() {
        Socket.shutdownWrite(fd)
        phase = .lingering
        setInterest(UInt32(EPOLLIN.rawValue))
        arm(.seconds(2))
        discardUntilClosed()
    }

    private func discardUntilClosed() {
        while true {
            switch Socket.read(fd, into: loop.readBuffer) {
            case .transferred: continue
            case .wouldBlock: return
            case .closed:
                close()
                return
            }
        }
    }

    // MARK: Timeouts

    /// Sets the connection's one deadline. Re-arming happens on every request, so it only moves a stored instant;
    /// a loop timer is added only when the new deadline comes before every timer already pending. A timer that
    /// fires before the current deadline re-schedules itself for it.
    private func arm(_ timeout: Duration, idle: Bool = false) {
        let newDeadline = ContinuousClock.now + timeout
        deadline = newDeadline
        isIdleDeadline = idle
        if let earliestTimer, earliestTimer <= newDeadline { return }
        schedule(at: newDeadline)
    }

    private func schedule(at instant: ContinuousClock.Instant) {
        earliestTimer = instant
        loop.schedule(at: instant) { [weak self] in self?.timerFired(scheduledFor: instant) }
    }

    private func timerFired(scheduledFor instant: ContinuousClock.Instant) {
        if earliestTimer == instant { earliestTimer = nil }
        guard let deadline, phase != .closed else { return }
        if deadline > ContinuousClock.now {
            if earliestTimer.map({ $0 > deadline }) ?? true { schedule(at: deadline) }
            return
        }
        self.deadline = nil
        timedOut()
    }

    private func timedOut() {
        if phase == .handshaking {
            owner.observer.connectionShed(.handshakeTimeout)
        } else if !hasAnswered && phase == .reading && parser.isIdle {
            owner.observer.connectionShed(.headTimeout)
        }
        switch phase {
        case .reading where !parser.isIdle:
            // A request that stalls mid-head or mid-body gets 408 and the connection closes.
            respond(.text(.requestTimeout, "request not received in time\n"), keepAlive: false)
        default:
            close()
        }
    }

    private func setInterest(_ events: UInt32) {
        guard events != interest, phase != .closed else { return }
        interest = events
        loop.modify(fd, events: events)
    }
}
