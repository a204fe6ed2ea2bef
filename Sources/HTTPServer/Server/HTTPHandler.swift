/// Answers requests.
///
/// The server first offers each request to `respondOnLoop(to:)`, on the event loop: a handler that can answer
/// without waiting (no I/O, no contended lock, bounded CPU — a small AdmissionReview, a health check) answers
/// there, saving two thread hops per request. Otherwise it returns `nil` and `handle(_:)` runs as a task off the
/// loops, so it may take its time without stalling other connections.
public protocol HTTPHandler: Sendable {
    func respondOnLoop(to request: HTTPRequest) -> HTTPResponse?
    func handle(_ request: HTTPRequest) async -> HTTPResponse
}

extension HTTPHandler {
    public func respondOnLoop(to request: HTTPRequest) -> HTTPResponse? { nil }
}

/// Reports of a server for metrics; each closure is called from an event loop and must return quickly.
public struct HTTPServerObserver: Sendable {
    public var connectionOpened: @Sendable () -> Void
    public var connectionClosed: @Sendable () -> Void
    public var tlsHandshakeFailed: @Sendable (TLSError?) -> Void
    /// A connection refused or closed early to protect the others, and why.
    public var connectionShed: @Sendable (ConnectionShedReason) -> Void

    public init(
        connectionOpened: @escaping @Sendable () -> Void = {},
        connectionClosed: @escaping @Sendable () -> Void = {},
        tlsHandshakeFailed: @escaping @Sendable (TLSError?) -> Void = { _ in },
        connectionShed: @escaping @Sendable (ConnectionShedReason) -> Void = { _ in }
    ) {
        self.connectionOpened = connectionOpened
        self.connectionClosed = connectionClosed
        self.tlsHandshakeFailed = tlsHandshakeFailed
        self.connectionShed = connectionShed
    }
}

/// Why the server refused or closed a connection that had done nothing wrong yet, to keep serving the others.
public enum ConnectionShedReason: String, Sendable, CaseIterable {
    /// Its client address already held `maxConnectionsPerClient` connections.
    case perClientLimit = "per_client_limit"
    /// An idle keep-alive connection, the oldest, closed to admit a new one at the connection limit.
    case idleEvicted = "idle_evicted"
    /// With none idle, the oldest connection that had not sent a byte of a request (or finished its TLS handshake),
    /// closed to admit a new one at the connection limit.
    case silentEvicted = "silent_evicted"
    /// Its request would have taken the buffered request bytes over `maxBufferedBytes`: 503 and closed.
    case bufferBudget = "buffer_budget"
    /// The TLS handshake did not complete within `headerTimeout` of the accept.
    case handshakeTimeout = "handshake_timeout"
    /// No request head within `headerTimeout` of the accept (after the handshake, or on a plain connection).
    case headTimeout = "head_timeout"
}
